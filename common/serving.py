"""Serving an ASGI app the way every process of ours does (the gateway and each subgraph)."""

from __future__ import annotations

from typing import Any

import uvicorn


def serve(app: Any, host: str, port: int) -> None:
    """Run `app` with uvicorn until stopped: uvloop and httptools (uvicorn[standard]), the JSON
    logging `configure_logging` set up (`log_config=None`), no access log (our request log line
    comes from `RequestIdMiddleware`), and no `server` header (it names our software to anyone
    probing for known holes)."""
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False, server_header=False)

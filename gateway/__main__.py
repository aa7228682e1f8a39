"""`python -m gateway --supergraph PATH [--host HOST] [--port PORT]`: serve the gateway.

Options default to `GATEWAY_SUPERGRAPH_PATH`, `GATEWAY_HOST` and `GATEWAY_PORT`. In dev mode,
`--subgraphs users=http://127.0.0.1:8081/graphql,...` (`GATEWAY_SUBGRAPHS`) composes the
supergraph from the subgraphs' own SDL instead, and again whenever one changes. A bad setting
stops start-up with exit code 2 and a one-line message. With `OTEL_EXPORTER_OTLP_ENDPOINT` set,
requests are traced (docs/operations.md, Tracing). With the supergraph file watched
(`GATEWAY_SUPERGRAPH_POLL_INTERVAL` > 0, the default) a missing or broken file is logged and the
gateway answers 503 until a usable one appears; with watching off (0) it exits with code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import uvicorn

from common.errors import ConfigurationError
from common.logging import configure_logging
from common.settings import GatewaySettings, load_settings
from common.tracing import configure_tracing
from gateway.app import create_app
from gateway.app.composed import ComposedSupergraph, parse_subgraph_list
from gateway.supergraph import SupergraphError

EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, load settings and the supergraph, run uvicorn; the exit code."""
    parser = argparse.ArgumentParser(prog="python -m gateway", description=__doc__.splitlines()[0])
    parser.add_argument("--supergraph", help="supergraph SDL file (GATEWAY_SUPERGRAPH_PATH)")
    parser.add_argument("--host", help="interface to listen on (GATEWAY_HOST)")
    parser.add_argument("--port", type=int, help="port to listen on (GATEWAY_PORT)")
    parser.add_argument(
        "--subgraphs",
        help="dev mode: NAME=URL,... to compose from, re-composed on change (GATEWAY_SUBGRAPHS)",
    )
    args = parser.parse_args(argv)
    overrides = {
        key: value
        for key, value in (
            ("supergraph_path", args.supergraph),
            ("host", args.host),
            ("port", args.port),
            ("subgraphs", args.subgraphs),
        )
        if value is not None
    }
    try:
        settings = load_settings(GatewaySettings, **overrides)
        configure_tracing("gateway")
    except ConfigurationError as exc:
        print(f"gateway: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_USAGE
    if settings.supergraph_poll_interval > 0:
        # The first load may fail and be logged (as JSON, like every later reload).
        configure_logging("gateway", settings.log_level)
    try:
        source = (
            ComposedSupergraph(
                parse_subgraph_list(settings.subgraphs),
                timeout=settings.subgraph_request_timeout,
            )
            if settings.subgraphs
            else None
        )
    except ValueError as exc:
        print(f"gateway: GATEWAY_SUBGRAPHS / --subgraphs: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        app = create_app(settings, source=source)
    except SupergraphError as exc:
        print(f"gateway: {' '.join(str(exc).split())}", file=sys.stderr)
        return EXIT_USAGE
    configure_logging("gateway", settings.log_level)
    # uvicorn picks uvloop and httptools (uvicorn[standard]); the request log line is ours
    # (RequestIdMiddleware), so uvicorn's access log would only cost time on each request.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

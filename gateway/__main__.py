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
import gc
import sys
from collections.abc import Sequence

from common.errors import ConfigurationError
from common.logging import configure_logging
from common.serving import serve
from common.settings import GatewaySettings, load_settings
from common.startup import refuse_to_start
from common.tracing import configure_tracing
from gateway.app import create_app
from gateway.app.composed import ComposedSupergraph, parse_subgraph_list
from gateway.supergraph import SupergraphError

#: seconds a thread may hold the interpreter while another waits for it
SWITCH_INTERVAL = 0.001
#: the cyclic collector's generation thresholds while serving (CPython's default: 700, 10, 10)
GC_THRESHOLDS = (50_000, 20, 100)


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
        if settings.supergraph_poll_interval > 0:
            # The first load may fail and be logged (as JSON, like every later reload).
            configure_logging("gateway", settings.log_level)
        configure_tracing("gateway")
        app = create_app(settings, source=_composed_source(settings))
    except ConfigurationError as exc:
        return refuse_to_start("gateway", exc)
    except SupergraphError as exc:
        return refuse_to_start("gateway", str(exc))
    configure_logging("gateway", settings.log_level)
    # While the CPU worker parses or validates (app/cpu.py), the event loop waits at most one
    # switch interval for the interpreter: 1 ms keeps other requests quick (5 ms by default).
    sys.setswitchinterval(SWITCH_INTERVAL)
    tune_garbage_collector()
    serve(app, settings.host, settings.port)
    return 0


def tune_garbage_collector() -> None:
    """Make the cyclic garbage collector cheap for a server (bench/PROFILE.md: it was a quarter
    of the CPU under load). A request allocates hundreds of thousands of short-lived dicts and
    lists that reference counting frees, and builds almost no cycles; the default thresholds
    collected generation 0 every 700 allocations and walked the long-lived objects again and
    again. Everything alive after start-up (the supergraph, schemas, modules) is moved out of
    the collector's sight for good (`gc.freeze`), and collections run far less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _composed_source(settings: GatewaySettings) -> ComposedSupergraph | None:
    """Dev mode's source (`GATEWAY_SUBGRAPHS`), or None to read the supergraph file."""
    if not settings.subgraphs:
        return None
    try:
        addresses = parse_subgraph_list(settings.subgraphs)
    except ValueError as exc:
        raise ConfigurationError([f"GATEWAY_SUBGRAPHS / --subgraphs: {exc}"]) from None
    return ComposedSupergraph(addresses, timeout=settings.subgraph_request_timeout)


if __name__ == "__main__":
    sys.exit(main())

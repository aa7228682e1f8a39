"""`python -m devstack` (`make run`): start every subgraph and the gateway; Ctrl-C stops all.
`python -m devstack edge` (`make edge`): the same, plus nginx in front (nginx/, port 8080)."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from devstack.edge import EDGE_DEFAULT_PORT, Edge, edge_service, nginx_binary, render, test_config
from devstack.processes import ROOT, Service, StartupError, start, stop, wait_healthy
from devstack.stack import GATEWAY_DEFAULT_PORT, SUBGRAPHS, gateway_service, subgraph_service

LOG_DIR = ROOT / "var" / "log"


def _port(variable: str, default: int) -> int:
    """A port from the environment, refusing anything that is not one."""
    raw = os.environ.get(variable, str(default))
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        sys.exit(f"{variable} must be a port number between 1 and 65535 (got {raw!r})")
    return int(raw)


def main() -> int:
    """Start the stack and supervise it until Ctrl-C or until one process dies.

    `python -m devstack list` prints the subgraph names instead (for the Makefile).
    """
    if sys.argv[1:] == ["list"]:
        print(" ".join(sg.name for sg in SUBGRAPHS))
        return 0
    if sys.argv[1:] not in ([], ["edge"]):
        sys.exit("usage: python -m devstack [edge | list]")
    with_edge = sys.argv[1:] == ["edge"]
    supergraph = Path(os.environ.get("GATEWAY_SUPERGRAPH_PATH", ROOT / "schema/supergraph.graphql"))
    ports = {sg.name: _port(f"{sg.env_prefix}PORT", sg.default_port) for sg in SUBGRAPHS}
    services: list[Service] = [
        subgraph_service(sg, ports[sg.name], log_dir=LOG_DIR) for sg in SUBGRAPHS
    ]
    gateway_port = _port("GATEWAY_PORT", GATEWAY_DEFAULT_PORT)
    gateway_env = {"GATEWAY_TRUST_FORWARDED_FOR": "true"} if with_edge else None
    services.append(
        gateway_service(gateway_port, supergraph, ports, log_dir=LOG_DIR, extra_env=gateway_env)
    )
    edge = _edge(gateway_port) if with_edge else None

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    try:
        # Subgraphs start side by side (each migrates its own database); the gateway once
        # they all answer, so its first requests find them up.
        *subgraph_services, gateway = services
        for service in subgraph_services:
            print(f"starting {service.name} on {service.url} ...", flush=True)
            start(service)
        for service in subgraph_services:
            wait_healthy(service, timeout=90)
        print(f"starting gateway on {gateway.url} ...", flush=True)
        start(gateway)
        wait_healthy(gateway, timeout=90)
        if edge is not None:
            print(f"starting nginx on {edge.url} ...", flush=True)
            services.append(start(edge))
            wait_healthy(edge, timeout=30)
        front = edge.url if edge is not None else gateway.url
        print("\nThe system is up (logs in var/log/; Ctrl-C stops everything):")
        for service in subgraph_services:
            print(f"  {service.name:<14} {service.url}/graphql")
        print(f"  {'gateway':<14} {gateway.url}/graphql   <- GraphiQL in a browser")
        if edge is not None:
            print(f"  {'nginx':<14} {edge.url}/   <- the edge: shop, API, GraphiQL")
        if (ROOT / "frontend" / "dist" / "index.html").exists():
            print(f"  {'shop':<14} {front}/")
        else:
            print(f"  {'shop':<14} not built: `make frontend` needs Node 20+ and npm")
        print(f"  {'health':<14} {front}/health\n", flush=True)
        while True:
            for service in services:
                assert service.process is not None
                if service.process.poll() is not None:
                    print(f"{service.name} stopped (exit {service.process.returncode}):")
                    print(service.log_tail(), flush=True)
                    return 1
            time.sleep(0.5)
    except StartupError as exc:
        print(f"start-up failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
        return 0
    finally:
        stop(services)


def _edge(gateway_port: int) -> Service:
    """nginx on NGINX_PORT (8080) in front of the gateway, its config under var/nginx/."""
    nginx = nginx_binary()
    if nginx is None:
        sys.exit("nginx not found: install it (Debian: `apt-get install nginx`) or use `make run`")
    edge = Edge(
        port=_port("NGINX_PORT", EDGE_DEFAULT_PORT),
        upstreams=[f"127.0.0.1:{gateway_port}"],
        run_dir=ROOT / "var" / "nginx",
        log_dir=LOG_DIR,
    )
    render(edge)
    checked = test_config(nginx, edge)
    if checked.returncode != 0:
        sys.exit(f"nginx refused the config rendered from nginx/:\n{checked.stderr}")
    return edge_service(nginx, edge)


if __name__ == "__main__":
    sys.exit(main())

"""Which services make up the system, on which ports, with which environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from devstack.processes import Service


@dataclass(frozen=True)
class Subgraph:
    """A domain service: its name in the supergraph, its module and its env prefix."""

    name: str
    env_prefix: str
    default_port: int

    @property
    def module(self) -> str:
        """The module `python -m` runs."""
        return f"subgraphs.{self.name}"


SUBGRAPHS: tuple[Subgraph, ...] = (
    Subgraph("users", "USER_SERVICE_", 8081),
    Subgraph("orders", "ORDER_SERVICE_", 8082),
    Subgraph("repositories", "REPOSITORY_SERVICE_", 8083),
    Subgraph("payments", "PAYMENT_SERVICE_", 8084),
    Subgraph("products", "PRODUCT_SERVICE_", 8085),
    Subgraph("notifications", "NOTIFICATION_SERVICE_", 8086),
    Subgraph("audit", "AUDIT_SERVICE_", 8087),
)

GATEWAY_DEFAULT_PORT = 4000


def subgraph_service(
    subgraph: Subgraph,
    port: int,
    db_url: str | None = None,
    log_dir: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> Service:
    """The process of one subgraph, listening on `port`, on `db_url` when given."""
    env = {f"{subgraph.env_prefix}PORT": str(port), **(extra_env or {})}
    if db_url is not None:
        env[f"{subgraph.env_prefix}DB_URL"] = db_url
    return Service(
        name=subgraph.name,
        args=["-m", subgraph.module, "serve"],
        port=port,
        env=env,
        log_path=log_dir / f"{subgraph.name}.log" if log_dir else None,
    )


def gateway_service(
    port: int,
    supergraph: Path,
    subgraph_ports: Mapping[str, int],
    log_dir: Path | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> Service:
    """The gateway process, pointed at the subgraphs' actual ports."""
    env = {
        "GATEWAY_PORT": str(port),
        "GATEWAY_SUPERGRAPH_PATH": str(supergraph),
        **{
            f"GATEWAY_SUBGRAPH_{name.upper()}_URL": f"http://127.0.0.1:{sub_port}/graphql"
            for name, sub_port in subgraph_ports.items()
        },
        **(extra_env or {}),
    }
    return Service(
        name="gateway",
        args=["-m", "gateway"],
        port=port,
        env=env,
        log_path=log_dir / "gateway.log" if log_dir else None,
    )

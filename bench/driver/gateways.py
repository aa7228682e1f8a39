"""The gateways under test, ours and the npm peers: how each is started and which version it is."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .scenario import (
    FED,
    GRAFBASE_BIN,
    GRAFBASE_PACKAGE,
    HOST,
    ROOT,
    SUBGRAPH_NAMES,
    SUBGRAPHS_PORT,
)


@dataclass
class Gateway:
    name: str
    title: str
    port: int
    cmd: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    optional: bool = False
    version: str = ""
    #: verifies `Authorization` tokens: its unique mode sends the run's signed tokens
    verifies_tokens: bool = False


def npm_version(package: str) -> str:
    try:
        return str(
            json.loads((FED / "node_modules" / package / "package.json").read_text())["version"]
        )
    except (OSError, ValueError, KeyError):
        return "?"


def gateways(pin: list[str], auth_env: dict[str, str]) -> list[Gateway]:
    """Every gateway of the run; ours with `auth_env` (credentials.gateway_auth_env: the run's
    secrets, which production requires, and the issuer and audience of the run's tokens)."""
    hive_bin = str(FED / "node_modules" / ".bin" / "hive-gateway")
    supergraph = "supergraph.graphql"
    ours_env = {
        "GATEWAY_ENV": "production",
        **auth_env,
        "GATEWAY_LOG_LEVEL": "warning",
        # The peers have no rate limits: wrk's load comes from one address and one operation
        # (with this at 0 and GATEWAY_CLIENT_RATE_LIMIT unset, the per-client limit is off too).
        "GATEWAY_RATE_LIMIT": "0",
        **{
            f"GATEWAY_SUBGRAPH_{name.upper()}_URL": f"http://{HOST}:{SUBGRAPHS_PORT}/{name}"
            for name in SUBGRAPH_NAMES
        },
    }
    node_env = {"NODE_ENV": "production", "APOLLO_TELEMETRY_DISABLED": "1"}
    return [
        Gateway(
            "ours",
            "ours (Python)",
            4100,
            [
                *pin,
                sys.executable,
                "-m",
                "gateway",
                "--supergraph",
                str(FED / supergraph),
                "--host",
                HOST,
                "--port",
                "4100",
            ],
            ROOT,
            ours_env,
            version=git_describe(),
            verifies_tokens=True,
        ),
        Gateway(
            "apollo-gateway",
            "Apollo Gateway (Node)",
            4101,
            [*pin, "node", "gateways/apollo-gateway.mjs", supergraph, "4101"],
            FED,
            node_env,
            version=npm_version("@apollo/gateway"),
        ),
        Gateway(
            "hive-gateway",
            "Hive Gateway (Node)",
            4102,
            [
                *pin,
                hive_bin,
                "-c",
                "gateways/hive/gateway.config.mjs",
                "supergraph",
                supergraph,
                "--jit",
                "--host",
                HOST,
                "--port",
                "4102",
            ],
            FED,
            node_env,
            version=npm_version("@graphql-hive/gateway"),
        ),
        Gateway(
            "hive-gateway-rr",
            "Hive Gateway + Rust planner",
            4103,
            [
                *pin,
                hive_bin,
                "-c",
                "gateways/hive-rr/gateway.config.mjs",
                "supergraph",
                supergraph,
                "--host",
                HOST,
                "--port",
                "4103",
            ],
            FED,
            node_env,
            optional=True,
            version=f"{npm_version('@graphql-hive/gateway')} + router-runtime "
            f"{npm_version('@graphql-hive/router-runtime')}",
        ),
        Gateway(
            "grafbase",
            "Grafbase `dev` (Rust)",
            4104,
            [
                *pin,
                str(GRAFBASE_BIN),
                "--home",
                "grafbase/home",
                "dev",
                "-c",
                "grafbase/grafbase.toml",
                "--listen-address",
                f"{HOST}:4104",
            ],
            FED,
            optional=True,
            version=GRAFBASE_PACKAGE.rsplit("@", 1)[1],
        ),
    ]


def git_describe() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "gateway", "common"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return f"{sha}{' + local changes' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        return "?"

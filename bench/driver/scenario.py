"""The scenario's files, ports and modes, and the log line and error every step shares."""

from __future__ import annotations

from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
FED = BENCH / "federation"
LOGS = BENCH / "logs"
RESULTS = BENCH / "RESULTS.md"
HOST = "127.0.0.1"
SUBGRAPHS_PORT = 4200
SUBGRAPH_NAMES = ("accounts", "inventory", "products", "reviews")
GRAFBASE_PACKAGE = "@grafbase/cli-x86_64-unknown-linux-musl@0.103.0"
GRAFBASE_BIN = FED / "grafbase" / "package" / "grafbase"
START_TIMEOUT = 60.0
MODES = (
    ("identical", "post.lua", "identical requests (`post.lua`)"),
    (
        "unique",
        "post-unique.lua",
        "a unique `Authorization` header on each request (`post-unique.lua`)",
    ),
)


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


class BenchError(Exception):
    """A prerequisite is missing; the message says how to fix it."""

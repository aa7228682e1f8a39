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
#: The wrk script of every run (bench/driver/load.lua): requests of each mode, answers checked.
LOAD_LUA = BENCH / "driver" / "load.lua"
MODES = (
    ("identical", "identical requests, no `Authorization`"),
    (
        "unique",
        "no two requests alike: ours gets a distinct valid user token on each, the peers a "
        "distinct `Authorization` header they ignore",
    ),
)
#: Answers of each measured run written out and compared in full with expected-response.json.
SAMPLES_PER_RUN = 20


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


class BenchError(Exception):
    """A prerequisite is missing; the message says how to fix it."""

"""What the load test reads off the system and off Locust: SQL statements per subgraph (from
/metrics), CPU time per process, and Locust's per-operation statistics. The parsers are pure."""

from __future__ import annotations

import csv
import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.driver.processes import group_cpu_ticks

from .stack import Stack


def request_statements(metrics_text: str) -> float:
    """`<prefix>_sql_statements_total{origin="request"}` of a /metrics page (0 without it):
    statements sent while serving requests, not the outbox relay's or consumers' polling."""
    total = 0.0
    for line in metrics_text.splitlines():
        if line.startswith("#") or "_sql_statements_total{" not in line:
            continue
        if 'origin="request"' in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def statements_by_subgraph(stack: Stack) -> dict[str, float]:
    """Request SQL statements each subgraph has sent so far."""
    headers = {"Authorization": f"Bearer {stack.metrics_token}"} if stack.metrics_token else {}
    counts = {}
    for name, url in stack.subgraph_urls.items():
        response = httpx.get(f"{url}/metrics", headers=headers, timeout=10)
        response.raise_for_status()
        counts[name] = request_statements(response.text)
    return counts


def cpu_seconds(stack: Stack) -> dict[str, float]:
    """CPU time (user + system) so far of each service's processes."""
    hz = os.sysconf("SC_CLK_TCK")
    return {name: group_cpu_ticks(pid) / hz for name, pid in stack.pids.items()}


@dataclass
class Snapshot:
    at: float
    statements: dict[str, float]
    cpu: dict[str, float]

    @classmethod
    def take(cls, stack: Stack) -> Snapshot:
        return cls(time.monotonic(), statements_by_subgraph(stack), cpu_seconds(stack))


@dataclass(frozen=True)
class OperationStats:
    """One row of Locust's `*_stats.csv`: an operation, or the total ("Aggregated")."""

    name: str
    requests: int
    failures: int
    rps: float
    p50: float  # ms
    p95: float
    p99: float
    average: float


@dataclass
class LocustStats:
    operations: list[OperationStats] = field(default_factory=list)
    total: OperationStats | None = None
    #: (operation, error message, occurrences) from `*_failures.csv`
    failures: list[tuple[str, str, int]] = field(default_factory=list)


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0  # Locust writes "N/A" for percentiles of an operation without requests


def parse_locust_csv(stats_csv: str, failures_csv: str = "") -> LocustStats:
    """Locust's `--csv` output: per-operation rows and the aggregate, and the failures."""
    parsed = LocustStats()
    for row in csv.DictReader(io.StringIO(stats_csv)):
        stats = OperationStats(
            name=row["Name"],
            requests=int(row["Request Count"]),
            failures=int(row["Failure Count"]),
            rps=_number(row["Requests/s"]),
            p50=_number(row["50%"]),
            p95=_number(row["95%"]),
            p99=_number(row["99%"]),
            average=_number(row["Average Response Time"]),
        )
        if row["Name"] == "Aggregated":
            parsed.total = stats
        else:
            parsed.operations.append(stats)
    for row in csv.DictReader(io.StringIO(failures_csv)):
        parsed.failures.append((row["Name"], row["Error"], int(row["Occurrences"])))
    return parsed


def read_locust_csv(prefix: Path) -> LocustStats:
    stats = Path(f"{prefix}_stats.csv")
    failures = Path(f"{prefix}_failures.csv")
    return parse_locust_csv(
        stats.read_text() if stats.exists() else "",
        failures.read_text() if failures.exists() else "",
    )

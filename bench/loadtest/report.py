"""`bench/LOADTEST.md`: the run's facts, Locust's figures per operation, SQL statements per
request and per operation, CPU per process."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .measures import LocustStats, Snapshot
from .probes import Probe
from .settings import LoadSettings


@dataclass
class Facts:
    date: str
    commit: str
    machine: str
    load_average: str
    stack: str
    locust: str
    order_path: str
    #: a warning when other work kept the machine busy (see bench/driver/machine.py)
    busy: str = ""


def fmt_ms(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def sql_per_request(before: Snapshot, after: Snapshot, requests: int) -> dict[str, float]:
    """Request SQL statements over the run per client request, per subgraph."""
    return {
        name: (after.statements[name] - before.statements[name]) / max(requests, 1)
        for name in after.statements
    }


def cpu_rows(before: Snapshot, after: Snapshot, requests: int) -> list[tuple[str, float, float]]:
    """(process, % of one core over the run, ms of CPU per client request)."""
    wall = max(after.at - before.at, 1e-9)
    rows = []
    for name in after.cpu:
        used = after.cpu[name] - before.cpu.get(name, 0.0)
        rows.append((name, 100.0 * used / wall, 1000.0 * used / max(requests, 1)))
    return rows


def write_loadtest(
    path: Path,
    facts: Facts,
    settings: LoadSettings,
    stats: LocustStats,
    before: Snapshot,
    after: Snapshot,
    probes: list[Probe],
    locust_cpu: float,
) -> None:
    total = stats.total
    requests = total.requests if total else 0
    failures = total.failures if total else 0
    lines = [
        "# Load test of the real system",
        "",
        "Written by `make loadtest` (`bench/loadtest/`); every run overwrites this file. See "
        "`bench/loadtest/README.md` for what is measured and how.",
        "",
        f"- date: {facts.date}; our commit {facts.commit}",
        f"- machine: {facts.machine}; load average when the run started: {facts.load_average}"
        + (f" (**{facts.busy}**)" if facts.busy else ""),
        f"- stack: {facts.stack}",
        f"- load: Locust {facts.locust}, {settings.users} simulated clients (5 in 10 anonymous "
        f"visitors, 4 shoppers, 1 admin) started at {settings.spawn_rate}/s, each waiting "
        f"0.1-0.6 s between requests, for {settings.seconds} s; {len(stats.operations)} "
        f"operations; orders placed {facts.order_path}",
        "",
        "## Result",
        "",
    ]
    if total:
        lines += [
            f"**{requests} requests, {total.rps:.1f} per second, {failures} errors**; latency "
            f"p50 {fmt_ms(total.p50)}, p95 {fmt_ms(total.p95)}, p99 {fmt_ms(total.p99)}.",
            "",
        ]
    lines += [
        "| operation | requests | errors | RPS | p50 | p95 | p99 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for op in sorted(stats.operations, key=lambda o: -o.requests):
        lines.append(
            f"| {op.name} | {op.requests} | {op.failures} | {op.rps:.1f} | {fmt_ms(op.p50)} | "
            f"{fmt_ms(op.p95)} | {fmt_ms(op.p99)} |"
        )
    lines.append("")
    if stats.failures:
        lines += ["### Errors", "", "| operation | error | count |", "| --- | --- | ---: |"]
        for name, error, count in stats.failures:
            lines.append(f"| {name} | {error.replace('|', '/')[:300]} | {count} |")
        lines.append("")
    per_request = sql_per_request(before, after, requests)
    lines += [
        "## SQL statements",
        "",
        f"Over the run, **{sum(per_request.values()):.2f} SQL statements per client request** "
        '(`<service>_sql_statements_total{origin="request"}` of every subgraph, divided by the '
        "requests Locust sent; statements of the outbox relay and the event consumers, "
        '`origin="background"`, are not counted): '
        + ", ".join(f"{name} {value:.2f}" for name, value in per_request.items() if value)
        + ".",
        "",
        "Each operation alone, on the quiet system before the load (request statements per "
        "subgraph):",
        "",
        "| operation | SQL statements | by subgraph |",
        "| --- | ---: | --- |",
    ]
    for probe in probes:
        by = ", ".join(f"{name} {count}" for name, count in probe.statements.items())
        lines.append(f"| {probe.label} | {probe.total} | {by or '-'} |")
    pages = [p for p in probes if p.label.startswith("orders page")]
    if len(pages) == 2:
        few, many = pages
        verdict = (
            "the same for both: no N+1"
            if few.total == many.total
            else f"{many.total - few.total} more with more orders: look for an N+1"
        )
        lines += [
            "",
            f"**The orders page** (my orders with user, items with products, and payment) costs "
            f"{few.total} SQL statements for {few.label.split(', ')[1]} and {many.total} for "
            f"{many.label.split(', ')[1]}: {verdict}.",
        ]
    lines += [
        "",
        "## CPU",
        "",
        "CPU time of each process over the run (user + system), in % of one core and per client "
        "request. PostgreSQL and Redis are shared servers and not measured here.",
        "",
        "| process | CPU (% of one core) | CPU per client request |",
        "| --- | ---: | ---: |",
    ]
    wall = max(after.at - before.at, 1e-9)
    for name, share, per in cpu_rows(before, after, requests):
        lines.append(f"| {name} | {share:.0f}% | {per:.2f} ms |")
    lines.append(
        f"| Locust (the load generator) | {100.0 * locust_cpu / wall:.0f}% | "
        f"{1000.0 * locust_cpu / max(requests, 1):.2f} ms |"
    )
    lines.append("")
    path.write_text("\n".join(lines))

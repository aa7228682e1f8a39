"""`bench/RESULTS.md`: the run's facts, a table per mode of every gateway, issue 16's goals,
planning time, notes, how to read it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .goals import goal_lines
from .planning import Planning
from .results import Run
from .scenario import MODES, SAMPLES_PER_RUN
from .trial import Outcome

HOW_TO_READ = re.sub(
    r"\s+",
    " ",
    f"""
Compare gateways only within one table of one run: absolute figures move from run to run and
machine to machine. RPS is client requests answered per second by the gateway alone on one core,
with `BENCH_CONNECTIONS` clients each sending its next request as soon as its last one is
answered; p50/p95/p99 are the latencies those clients saw. With several rounds (`BENCH_ROUNDS`),
every figure of a row comes from the round with the median RPS, whose RPS is also listed with the
others under "RPS of each round" (in the order the rounds ran), and a mode failed in any round
shows **failed**. "CPU per request" is the gateway's CPU
time over the measured run divided by the requests it answered; "peak RSS" the highest resident
memory of its processes so far (VmHWM). "Subgraph requests per client request" is the subgraph
server's call count from the start of the measured run until the gateway went quiet after it,
divided by the client requests it was sent (those answered in the run plus the one per
connection left in flight when wrk stopped); below the cold request's count means the gateway
shared identical subgraph fetches between requests in flight at the same time. The `identical`
mode lets a gateway merge identical client requests in flight (Hive's inbound de-duplication);
the `unique` mode makes every request different at the gateway's door (ours: a distinct signed
user token, whose identity reaches the subgraphs; the peers: a distinct `Authorization` header
they do not pass on, so they may still share subgraph fetches); see bench/README.md. Quote both
modes, each with its subgraph requests per client request. "Answers checked": the first answer
of the mode compared in full with `expected-response.json` (object key order ignored), every
answer of the measured run checked for a 2xx status and the verified answer's length, and up to
{SAMPLES_PER_RUN} answers spread over the run compared in full. A mode with any non-2xx answer,
socket error, timeout (10 s) or wrong answer shows **failed** and no figures; why is in the notes.
"gateway CPU" is the gateway's CPU time over the run in % of one core. "load CPU busy" is how
busy the other pinned CPU, the one the subgraph server and wrk share, was over the run: a gateway
well below 100% of its own core while the load's CPU is near 100% was held back by the subgraph
server and wrk, not by itself (its RPS is a floor of what it can do, and other work on the
machine moves it most).
""",
).strip()


def fmt_ms(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.1f} ms"


def run_cells(outcome: Outcome, run: Run | str | None) -> list[str]:
    """RPS, p50, p95, p99, CPU per request, peak RSS, subgraph requests per client request,
    answers checked, gateway CPU, load CPU busy: figures, or a status and dashes."""
    if isinstance(run, Run) and not run.failed:
        return [
            f"{run.wrk.rps:.1f}",
            fmt_ms(run.wrk.p50),
            fmt_ms(run.wrk.p95),
            fmt_ms(run.wrk.p99),
            f"{run.cpu_ms_per_request:.2f} ms",
            f"{run.peak_rss_kib / 1024:.0f} MiB",
            f"{run.calls_per_request:.2f}",
            f"all {run.wrk.answers} (status, length); {run.wrk.samples + 1} in full",
            f"{run.gateway_cpu:.0f}%",
            "-" if run.load_cpu_busy is None else f"{run.load_cpu_busy:.0f}%",
        ]
    if isinstance(run, Run):
        label = "failed"
    elif outcome.status != "ok":
        label = outcome.status
    else:
        label = run or "not measured"
    return [f"**{label}**", *["-"] * 9]


def rounds_line(rounds: int) -> str:
    if rounds < 2:
        return "one round (each gateway measured once)"
    return (
        f"{rounds} rounds (each round measures every gateway in turn, restarted; each mode's "
        "figures are those of its median round by RPS, its peak RSS the highest of all)"
    )


def round_cell(rps: list[float] | None) -> str:
    """The RPS of each round, in the order they ran; a dash for a single round or none."""
    if not rps or len(rps) < 2:
        return "-"
    return " / ".join(f"{value:.1f}" for value in rps)


def mode_notes(outcomes: list[Outcome]) -> list[str]:
    notes = []
    for o in outcomes:
        if o.note:
            notes.append(f"- **{o.gateway.title}**: {o.status}: {o.note}")
        for mode, run in o.runs.items():
            if isinstance(run, Run) and run.failed:
                notes.append(
                    f"- **{o.gateway.title}**, `{mode}`: failed: {'; '.join(run.failures)} "
                    f"(in {run.wrk.requests} requests)"
                )
            elif isinstance(run, str) and run != "wrong answer":
                notes.append(f"- **{o.gateway.title}**, `{mode}`: {run}")
    return [note.replace("|", "\\|").replace("\n", " ") for note in notes]


def write_results(
    outcomes: list[Outcome],
    info: dict[str, str],
    settings: dict[str, Any],
    planning: Planning | None,
    elapsed: float,
    path: Path,
) -> None:
    lines = [
        "# Federation benchmark results",
        "",
        "Written by `make bench` (`bench/run.py`); every run overwrites this file. "
        "See `bench/README.md` for what is measured.",
        "",
        f"- date: {info['date']}",
        f"- machine: {info['nproc']} CPUs ({info['cpu']}), Linux {info['kernel']}; load average "
        f"when the run started: {info['load']}"
        + (f" (**{info['busy']}**)" if info["busy"] else ""),
        f"- Python {info['python']}, Node {info['node']}, {info['wrk']}",
        f"- our gateway: commit {info['commit']}, `GATEWAY_ENV=production` with secrets generated "
        "for the run, log level warning, one uvicorn worker",
        f"- settings: {settings['connections']} connections, {settings['seconds']} s measured "
        f"after {settings['warmup']} s warm-up per mode, wrk `-t1 --timeout 10s`; "
        + rounds_line(settings.get("rounds", 1)),
        f"- CPU pinning: {settings['pinning']}",
        f"- whole run took {elapsed:.0f} s",
        "",
    ]
    for mode, description in MODES:
        lines += [
            f"## Mode `{mode}`: {description}",
            "",
            "| gateway | version | RPS | RPS of each round | p50 | p95 | p99 | CPU per request | "
            "peak RSS | subgraph requests per client request | cold request's subgraph calls | "
            "answers checked | gateway CPU | load CPU busy |",
            "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- "
            "| ---: | ---: |",
        ]
        for o in outcomes:
            cells = run_cells(o, o.runs.get(mode))
            cold = "-" if o.cold_calls is None else str(o.cold_calls)
            lines.append(
                f"| {o.gateway.title} | {o.gateway.version} | {cells[0]} | "
                f"{round_cell(o.rounds_rps.get(mode))} | {' | '.join(cells[1:7])} | {cold} | "
                f"{' | '.join(cells[7:])} |"
            )
        lines.append("")
    lines += [
        "## Goals of issue 16, this run",
        "",
        *goal_lines(outcomes),
        "",
        "What stands in the way of those not met: bench/PROFILE.md.",
        "",
    ]
    if planning is not None:
        lines += ["## Planning time, ours (cold, per operation)", ""]
        lines += [planning.report or planning.missing, ""]
    notes = mode_notes(outcomes)
    if notes:
        lines += ["## Notes", "", *notes, ""]
    lines += ["## How to read this", "", HOW_TO_READ, ""]
    if settings.get("profiled"):
        lines[2:2] = [
            "**Profiled run** (py-spy sampling our gateway): figures are not comparable with an "
            "unprofiled run.",
            "",
        ]
    path.write_text("\n".join(lines))

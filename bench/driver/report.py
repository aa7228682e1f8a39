"""`bench/RESULTS.md`: the run's facts, a table per mode of every gateway, notes, how to read it."""

from __future__ import annotations

import re
from typing import Any

from .load import Run
from .scenario import MODES, RESULTS
from .trial import Outcome

HOW_TO_READ = re.sub(
    r"\s+",
    " ",
    """
Compare gateways only within one table of one run: absolute figures move from run to run and
machine to machine. RPS is client requests answered per second by the gateway alone on one core,
with `BENCH_CONNECTIONS` clients each sending its next request as soon as its last one is
answered; p50/p95 are the latencies those clients saw. "Subgraph requests per client request" is
the subgraph server's call count from the start of the measured run until the gateway went quiet
after it, divided by the client requests it was sent (those answered in the run plus the one per
connection left in flight when wrk stopped). Below the cold request's count means the gateway
shared identical subgraph fetches between requests in flight at the same time.
The `identical` mode rewards merging identical in-flight client requests (Hive's inbound
de-duplication); the `unique` mode gives each request its own `Authorization` header, which
defeats that and so measures the gateway's own planning and execution. Quote both modes, each
with its subgraph requests per client request. A gateway whose cold answer differs from
`expected-response.json` (object key order ignored) is not load-tested and shows **wrong
answer**, with the first difference in the notes. "errors" counts non-2xx answers, socket errors
and timeouts during the measured run; "gateway CPU" is the gateway's CPU time over the run in %
of one core.
""",
).strip()


def fmt_ms(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.1f} ms"


def write_results(
    outcomes: list[Outcome], info: dict[str, str], settings: dict[str, Any], elapsed: float
) -> None:
    lines = [
        "# Federation benchmark results",
        "",
        "Written by `make bench` (`bench/run.py`); every run overwrites this file. "
        "See `bench/README.md` for what is measured.",
        "",
        f"- date: {info['date']}",
        f"- machine: {info['nproc']} CPUs ({info['cpu']}), Linux {info['kernel']}",
        f"- Python {info['python']}, Node {info['node']}, {info['wrk']}",
        f"- our gateway: commit {info['commit']}, `GATEWAY_ENV=production`, log level warning, one "
        "uvicorn worker",
        f"- settings: {settings['connections']} connections, {settings['seconds']} s measured "
        f"after {settings['warmup']} s warm-up per mode, wrk `-t1 --timeout 10s`",
        f"- CPU pinning: {settings['pinning']}",
        f"- whole run took {elapsed:.0f} s",
        "",
    ]
    for mode, _, description in MODES:
        lines += [
            f"## Mode `{mode}`: {description}",
            "",
            "| gateway | version | answer correct | RPS | p50 | p95 | subgraph requests per client "
            "request | cold request's subgraph calls | errors | gateway CPU |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for o in outcomes:
            gw = o.gateway
            correct = {True: "yes", False: "no", None: "-"}[o.correct]
            cold = "-" if o.cold_calls is None else str(o.cold_calls)
            run = o.runs.get(mode)
            if isinstance(run, Run):
                cells = [
                    f"{run.rps:.1f}",
                    fmt_ms(run.p50),
                    fmt_ms(run.p95),
                    f"{run.calls_per_request:.2f}",
                    f"{run.errors}",
                    f"{run.gateway_cpu:.0f}%",
                ]
            else:
                label = o.status if o.status != "ok" else (run or "not measured")
                cells = [f"**{label}**", "-", "-", "-", "-", "-"]
            lines.append(
                f"| {gw.title} | {gw.version} | {correct} | {cells[0]} | {cells[1]} | "
                f"{cells[2]} | {cells[3]} | {cold} | {cells[4]} | {cells[5]} |"
            )
        lines.append("")
    notes = [o for o in outcomes if o.note]
    if notes:
        lines += ["## Notes", ""]
        for o in notes:
            note = o.note.replace("|", "\\|").replace("\n", " ")
            lines.append(f"- **{o.gateway.title}**: {o.status}: {note}")
        lines.append("")
    lines += [
        "## How to read this",
        "",
        HOW_TO_READ,
        "",
    ]
    RESULTS.write_text("\n".join(lines))

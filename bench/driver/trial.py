"""One gateway's trial: start it, check its cold answer, load it in each mode, stop it."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from .gateways import Gateway
from .load import Load, Run, subgraph_stats
from .loopback import http, port_in_use, wait_listening
from .processes import log_tail
from .scenario import FED, HOST, MODES, START_TIMEOUT, log
from .verify import answer_problem


@dataclass
class Outcome:
    gateway: Gateway
    status: str = "ok"  # ok | wrong answer | did not start | skipped | failed
    note: str = ""
    correct: bool | None = None
    cold_calls: int | None = None
    cold_ms: float | None = None
    runs: dict[str, Run | str] = field(default_factory=dict)


class Trials:
    """Runs each gateway's trial with the same load and the same expected answer."""

    def __init__(self, load: Load) -> None:
        self.load = load
        self.procs = load.procs
        self.body = (FED / "body.json").read_bytes()
        self.expected = json.loads((FED / "expected-response.json").read_text())

    def run(self, gw: Gateway) -> Outcome:
        """Start `gw`, check its cold answer, load it in each mode; always stop it."""
        outcome = Outcome(gw)
        if port_in_use(gw.port):
            outcome.status, outcome.note = "did not start", f"port {gw.port} is already in use"
            return outcome
        log(f"{gw.name}: starting on {HOST}:{gw.port}")
        proc = self.procs.start(gw.name, gw.cmd, cwd=gw.cwd, env=gw.env)
        try:
            if not wait_listening(proc, gw.port, START_TIMEOUT):
                outcome.status = "did not start"
                outcome.note = f"see bench/logs/{gw.name}.log: {log_tail(gw.name, 3)}"
                return outcome
            url = f"http://{HOST}:{gw.port}/graphql"
            # The cold request: the first one this gateway serves (no plan cache yet).
            subgraph_stats(reset=True)
            t0 = time.monotonic()
            try:
                status, raw = http("POST", url, self.body)
            except OSError as exc:
                status, raw = 0, str(exc).encode()
            outcome.cold_ms = 1000 * (time.monotonic() - t0)
            outcome.cold_calls = subgraph_stats()
            problem = answer_problem(self.expected, status, raw)
            outcome.correct = problem is None
            if problem is not None:
                outcome.status = "wrong answer"
                outcome.note = problem
                log(f"{gw.name}: WRONG ANSWER ({outcome.note})")
                return outcome
            log(f"{gw.name}: answer correct; cold request cost {outcome.cold_calls} subgraph calls")
            for mode, script, _ in MODES:
                run = self.load.measure(gw, proc, mode, script)
                outcome.runs[mode] = run
                if isinstance(run, Run):
                    log(
                        f"{gw.name} [{mode}]: {run.rps:.1f} rps, p50 {run.p50:.1f} ms, "
                        f"p95 {run.p95:.1f} ms, "
                        f"{run.calls_per_request:.2f} subgraph calls/request, "
                        f"{run.errors} errors, gateway CPU {run.gateway_cpu:.0f}%"
                    )
                else:
                    log(f"{gw.name} [{mode}]: {run}")
                if proc.poll() is not None:
                    outcome.status = "failed"
                    outcome.note = f"exited during the load run; see bench/logs/{gw.name}.log"
                    break
            return outcome
        finally:
            self.procs.stop(gw.name)

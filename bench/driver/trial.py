"""One gateway's trial: start it, check the first answer of each mode, load it in each mode, stop
it."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from .credentials import TokenPool, refusal_note, refused_settings
from .gateways import Gateway
from .load import Load, ModeRequests, subgraph_stats
from .loopback import http, port_in_use, wait_listening
from .processes import log_tail
from .results import Run
from .scenario import FED, HOST, LOGS, MODES, START_TIMEOUT, log
from .verify import answer_problem


@dataclass
class Outcome:
    gateway: Gateway
    status: str = "ok"  # ok | wrong answer | did not start | skipped | failed
    note: str = ""
    correct: bool | None = None
    cold_calls: int | None = None
    cold_ms: float | None = None
    #: per mode: the measured run, or why there is none
    runs: dict[str, Run | str] = field(default_factory=dict)
    #: per mode, when the run had several rounds: the RPS of each, in the order they ran
    #: (`runs` then holds the median round, `rounds.fold`)
    rounds_rps: dict[str, list[float]] = field(default_factory=dict)


class Trials:
    """Runs each gateway's trial with the same load and the same expected answer."""

    def __init__(self, load: Load, tokens: TokenPool) -> None:
        self.load = load
        self.procs = load.procs
        self.tokens = tokens
        self.body = (FED / "body.json").read_bytes()
        self.expected = json.loads((FED / "expected-response.json").read_text())

    def requests(self, gw: Gateway, mode: str) -> ModeRequests:
        """Ours verifies tokens: its unique mode sends the run's signed ones."""
        return ModeRequests(mode, self.tokens if gw.verifies_tokens else None)

    def run(self, gw: Gateway) -> Outcome:
        """Start `gw`, check its first answer of each mode, load it in each; always stop it."""
        outcome = Outcome(gw)
        if port_in_use(gw.port):
            outcome.status, outcome.note = "did not start", f"port {gw.port} is already in use"
            return outcome
        log(f"{gw.name}: starting on {HOST}:{gw.port}")
        proc = self.procs.start(gw.name, gw.cmd, cwd=gw.cwd, env=gw.env)
        try:
            if not wait_listening(proc, gw.port, START_TIMEOUT):
                outcome.status = "did not start"
                output = (LOGS / f"{gw.name}.log").read_text(errors="replace")
                refused = refused_settings(output)
                outcome.note = (
                    refusal_note(refused)
                    if refused
                    else f"see bench/logs/{gw.name}.log: {log_tail(gw.name, 3)}"
                )
                return outcome
            url = f"http://{HOST}:{gw.port}/graphql"
            for index, (mode, _) in enumerate(MODES):
                requests = self.requests(gw, mode)
                # The first request of each mode is checked in full; the very first one (no plan
                # cache yet, nothing shared) also gives the plan's subgraph calls.
                subgraph_stats(reset=True)
                t0 = time.monotonic()
                try:
                    status, raw = http("POST", url, self.body, headers=requests.probe_headers())
                except OSError as exc:
                    status, raw = 0, str(exc).encode()
                if index == 0:
                    outcome.cold_ms = 1000 * (time.monotonic() - t0)
                    outcome.cold_calls = subgraph_stats()
                problem = answer_problem(self.expected, status, raw)
                if problem is not None:
                    outcome.correct = False
                    outcome.status = "wrong answer"
                    outcome.note = f"{mode} mode's first answer: {problem}"
                    outcome.runs[mode] = "wrong answer"
                    log(f"{gw.name} [{mode}]: WRONG ANSWER ({problem})")
                    return outcome
                if index == 0:
                    outcome.correct = True
                    log(
                        f"{gw.name}: answer correct; cold request cost {outcome.cold_calls} "
                        "subgraph calls"
                    )
                run = self.load.measure(gw, proc, requests, self.expected, len(raw))
                outcome.runs[mode] = run
                self.say(gw, mode, run)
                if proc.poll() is not None:
                    outcome.status = "failed"
                    outcome.note = f"exited during the load run; see bench/logs/{gw.name}.log"
                    break
            return outcome
        finally:
            self.procs.stop(gw.name)

    @staticmethod
    def say(gw: Gateway, mode: str, run: Run | str) -> None:
        if isinstance(run, str):
            log(f"{gw.name} [{mode}]: {run}")
            return
        figures = (
            f"{run.wrk.rps:.1f} rps, p50 {run.wrk.p50:.1f} ms, p95 {run.wrk.p95:.1f} ms, "
            f"{run.cpu_ms_per_request:.2f} ms CPU/request, peak RSS "
            f"{run.peak_rss_kib / 1024:.0f} MiB, {run.calls_per_request:.2f} subgraph "
            f"calls/request, gateway CPU {run.gateway_cpu:.0f}%"
        )
        if run.failed:
            log(f"{gw.name} [{mode}]: FAILED ({'; '.join(run.failures)}); would be {figures}")
        else:
            log(f"{gw.name} [{mode}]: {figures}")

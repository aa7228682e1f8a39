"""The load: wrk runs of each mode (bench/driver/load.lua), their answers checked, and what they
cost the gateway (CPU, peak memory) and the subgraphs (calls)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .credentials import TokenPool, tokens_needed
from .gateways import Gateway
from .loopback import http
from .machine import CpuPlan, busy_share, read_cpu_ticks
from .processes import Processes, group_cpu_ticks, group_peak_rss_kib
from .profile import markdown, py_spy_command, summarize
from .results import Run, failure_reasons, parse_wrk, sample_every
from .scenario import (
    FED,
    HOST,
    LOAD_LUA,
    LOGS,
    ROOT,
    SAMPLES_PER_RUN,
    SUBGRAPHS_PORT,
    BenchError,
    log,
)
from .verify import answer_problem


def subgraph_stats(reset: bool = False) -> int:
    status, body = http("GET", f"http://{HOST}:{SUBGRAPHS_PORT}/stats{'?reset' if reset else ''}")
    if status != 200:
        raise BenchError(f"subgraph server /stats answered {status}")
    return sum(json.loads(body).values())


def drain(quiet: float = 1.5, limit: float = 30.0) -> None:
    """Wait (at most `limit` s) until the subgraph server has seen no call for `quiet` s."""
    deadline = time.monotonic() + limit
    last, since = subgraph_stats(), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.2)
        now = subgraph_stats()
        if now != last:
            last, since = now, time.monotonic()


@dataclass(frozen=True)
class ModeRequests:
    """How one gateway's requests of one mode are made: identical, or unique with the run's
    signed tokens (ours: `tokens`) or with a header the gateway ignores (the peers)."""

    mode: str
    tokens: TokenPool | None = None

    def probe_headers(self) -> dict[str, str]:
        """The headers of this mode's first request, which the trial checks in full."""
        if self.mode != "unique":
            return {}
        if self.tokens is not None:
            return {"Authorization": f"Bearer {self.tokens.one()}"}
        return {"Authorization": f"Bearer probe-{secrets.token_hex(8)}"}


class Load:
    """wrk, pinned beside the subgraph server, with the run's connections and durations."""

    def __init__(
        self,
        procs: Processes,
        plan: CpuPlan,
        connections: int,
        seconds: int,
        warmup: int,
        token_rate: int,
        profiler: tuple[str, bool] | None = None,
    ) -> None:
        self.procs = procs
        self.wrk_pin = plan.load_pin
        #: the CPU of the subgraph server and wrk, whose busy share each run records
        self.load_cpu = plan.load_cpu
        self.connections = connections
        self.seconds = seconds
        self.warmup = warmup
        self.token_rate = token_rate
        #: (py-spy, native) when our gateway's measured runs are profiled (BENCH_PROFILE)
        self.profiler = profiler

    def wrk(self, name: str, url: str, env: dict[str, str], seconds: int) -> str:
        cmd = [
            *self.wrk_pin,
            "wrk",
            "-t1",
            f"-c{self.connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LOAD_LUA),
            url,
        ]
        proc = self.procs.start(name, cmd, cwd=FED, env=env)
        try:
            proc.wait(timeout=seconds + 30)  # hard bound on top of wrk's own -d
        except subprocess.TimeoutExpired:
            log(f"{name}: wrk overran its time, stopped")
        self.procs.stop(name)
        return (LOGS / f"{name}.log").read_text(errors="replace")

    def script_env(
        self,
        requests: ModeRequests,
        expected_bytes: int,
        tokens_file: Path | None,
        samples: Path | None = None,
        every: int = 1,
    ) -> dict[str, str]:
        """load.lua's settings (see its header)."""
        return {
            "BENCH_BODY": str(FED / "body.json"),
            "BENCH_MODE": requests.mode,
            "BENCH_TOKENS": str(tokens_file or ""),
            "BENCH_UNIQUE_PREFIX": f"{secrets.token_hex(6)}-",
            "BENCH_EXPECTED_BYTES": str(expected_bytes),
            "BENCH_SAMPLES": str(samples or ""),
            "BENCH_SAMPLE_EVERY": str(every),
            "BENCH_SAMPLE_MAX": str(SAMPLES_PER_RUN if samples else 0),
        }

    def token_file(self, requests: ModeRequests, name: str, seconds: int) -> Path | None:
        """A file of fresh tokens for one wrk run of `seconds` (ours, unique mode), else None."""
        if requests.mode != "unique" or requests.tokens is None:
            return None
        count = tokens_needed(seconds, self.token_rate, self.connections)
        return requests.tokens.file(LOGS / f"tokens-{name}.txt", count)

    def write_profile(self, name: str, collapsed: Path, title: str) -> None:
        """Wait for py-spy, then write the profile's summary beside its collapsed stacks."""
        spy = self.procs.running.get(name)
        if spy is not None:
            try:
                spy.wait(timeout=60)
            except subprocess.TimeoutExpired:
                log(f"{name}: py-spy overran its time, stopped")
            self.procs.stop(name)
        if not collapsed.exists():
            log(f"{name}: no profile written; see bench/logs/{name}.log")
            return
        summary = collapsed.with_suffix(".md")
        summary.write_text(markdown(summarize(collapsed.read_text(errors="replace")), title))
        log(f"profile: {collapsed.relative_to(ROOT)} (collapsed stacks), {summary.name}")

    def measure(
        self,
        gw: Gateway,
        proc: subprocess.Popen[bytes],
        requests: ModeRequests,
        expected: Any,
        expected_bytes: int,
    ) -> Run | str:
        """Warm up, then the measured run; a Run (failed or not), or why wrk gave nothing."""
        mode = requests.mode
        url = f"http://{HOST}:{gw.port}/graphql"
        # Tokens are signed before any load, so that signing costs the measured run nothing.
        warm_tokens = self.token_file(requests, f"{gw.name}-{mode}-warmup", self.warmup)
        tokens = self.token_file(requests, f"{gw.name}-{mode}", self.seconds)
        warmup_rps = None
        if self.warmup:
            env = self.script_env(requests, expected_bytes, warm_tokens)
            warm = parse_wrk(self.wrk(f"wrk-{gw.name}-{mode}-warmup", url, env, self.warmup))
            warmup_rps = warm.rps if warm else None
        samples = LOGS / f"samples-{gw.name}-{mode}"
        shutil.rmtree(samples, ignore_errors=True)
        samples.mkdir(parents=True)
        env = self.script_env(
            requests,
            expected_bytes,
            tokens,
            samples,
            sample_every(warmup_rps, self.seconds, SAMPLES_PER_RUN),
        )
        # wrk leaves up to `connections` requests in flight when it stops; let the gateway finish
        # them so that their subgraph calls are not counted against the measured run.
        drain()
        subgraph_stats(reset=True)
        profile = LOGS / f"profile-{gw.name}-{mode}.txt"
        if self.profiler and gw.verifies_tokens:
            # Beside wrk and the subgraphs, never on the gateway's own CPU.
            spy, native = self.profiler
            cmd = py_spy_command(spy, proc.pid, self.seconds, profile, native)
            self.procs.start(f"py-spy-{gw.name}-{mode}", [*self.wrk_pin, *cmd], cwd=FED)
        hz = os.sysconf("SC_CLK_TCK")
        l0 = None if self.load_cpu is None else read_cpu_ticks(self.load_cpu)
        c0, t0 = group_cpu_ticks(proc.pid), time.monotonic()
        out = self.wrk(f"wrk-{gw.name}-{mode}", url, env, self.seconds)
        c1, t1 = group_cpu_ticks(proc.pid), time.monotonic()
        load_busy = (
            None
            if self.load_cpu is None or l0 is None
            else busy_share(l0, read_cpu_ticks(self.load_cpu))
        )
        peak_rss = group_peak_rss_kib(proc.pid)
        if self.profiler and gw.verifies_tokens:
            self.write_profile(f"py-spy-{gw.name}-{mode}", profile, f"{gw.title}, `{mode}`")
        # When wrk stops, each of its connections has one request in flight that the gateway still
        # serves: count their subgraph calls too, and count them as client requests (below).
        drain()
        calls = subgraph_stats()
        result = parse_wrk(out)
        if result is None:
            return f"wrk failed: {out.strip()[-200:]}"
        problems = []
        for sample in sorted(samples.glob("*.json")):
            problem = answer_problem(expected, 200, sample.read_bytes())
            if problem is not None:
                problems.append(f"{sample.name}: {problem}")
        return Run(
            wrk=result,
            in_flight=self.connections,
            subgraph_calls=calls,
            cpu_seconds=(c1 - c0) / hz,
            wall_seconds=t1 - t0,
            peak_rss_kib=peak_rss,
            load_cpu_busy=load_busy,
            failures=failure_reasons(result, problems),
        )

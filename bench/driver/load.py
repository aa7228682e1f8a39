"""The load: wrk runs in each mode, their output parsed, and the subgraph calls they cost."""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from dataclasses import dataclass

from .gateways import Gateway
from .loopback import http
from .processes import Processes, group_cpu_ticks
from .scenario import FED, HOST, LOGS, SUBGRAPHS_PORT, BenchError, log


@dataclass
class Run:
    rps: float
    p50: float
    p95: float
    requests: int  # answered within the measured run
    in_flight: int  # left in flight when wrk stopped (one per connection)
    errors: int
    subgraph_calls: int  # from the run's start until the gateway went quiet after it
    gateway_cpu: float

    @property
    def calls_per_request(self) -> float:
        return self.subgraph_calls / max(self.requests + self.in_flight, 1)


RESULT_LINE = re.compile(
    r"RESULT rps=(?P<rps>[\d.]+) p50=(?P<p50>[\d.]+)ms p95=(?P<p95>[\d.]+)ms p99=[\d.]+ms "
    r"requests=(?P<requests>\d+) errors\(status\)=(?P<status>\d+) "
    r"errors\(conn/read/timeout\)=(?P<conn>\d+)/(?P<read>\d+)/(?P<timeout>\d+)"
)


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


class Load:
    """wrk, pinned beside the subgraph server, with the run's connections and durations."""

    def __init__(
        self, procs: Processes, wrk_pin: list[str], connections: int, seconds: int, warmup: int
    ) -> None:
        self.procs = procs
        self.wrk_pin = wrk_pin
        self.connections = connections
        self.seconds = seconds
        self.warmup = warmup

    def wrk(self, name: str, url: str, script: str, seconds: int) -> str:
        cmd = [
            *self.wrk_pin,
            "wrk",
            "-t1",
            f"-c{self.connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            script,
            url,
        ]
        proc = self.procs.start(name, cmd, cwd=FED)
        try:
            proc.wait(timeout=seconds + 30)  # hard bound on top of wrk's own -d
        except subprocess.TimeoutExpired:
            log(f"{name}: wrk overran its time, stopped")
        self.procs.stop(name)
        return (LOGS / f"{name}.log").read_text(errors="replace")

    def measure(
        self, gw: Gateway, proc: subprocess.Popen[bytes], mode: str, script: str
    ) -> Run | str:
        url = f"http://{HOST}:{gw.port}/graphql"
        if self.warmup:
            self.wrk(f"wrk-{gw.name}-{mode}-warmup", url, script, self.warmup)
        # wrk leaves up to `connections` requests in flight when it stops; let the gateway finish
        # them so that their subgraph calls are not counted against the measured run.
        drain()
        subgraph_stats(reset=True)
        hz = os.sysconf("SC_CLK_TCK")
        c0, t0 = group_cpu_ticks(proc.pid), time.monotonic()
        out = self.wrk(f"wrk-{gw.name}-{mode}", url, script, self.seconds)
        c1, t1 = group_cpu_ticks(proc.pid), time.monotonic()
        # When wrk stops, each of its connections has one request in flight that the gateway still
        # serves: count their subgraph calls too, and count them as client requests (below).
        drain()
        calls = subgraph_stats()
        match = RESULT_LINE.search(out)
        if not match:
            return f"wrk failed: {out.strip()[-200:]}"
        errors = sum(int(match[k]) for k in ("status", "conn", "read", "timeout"))
        return Run(
            rps=float(match["rps"]),
            p50=float(match["p50"]),
            p95=float(match["p95"]),
            requests=int(match["requests"]),
            in_flight=self.connections,
            errors=errors,
            subgraph_calls=calls,
            gateway_cpu=100.0 * (c1 - c0) / hz / (t1 - t0),
        )

"""What one measured run gives: wrk's RESULT line parsed, the figures derived from it, and whether
the mode failed. Pure functions, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

RESULT_LINE = re.compile(
    r"RESULT rps=(?P<rps>[\d.]+) p50=(?P<p50>[\d.]+)ms p95=(?P<p95>[\d.]+)ms "
    r"p99=(?P<p99>[\d.]+)ms requests=(?P<requests>\d+) errors\(status\)=(?P<status>\d+) "
    r"errors\(connect/read/write/timeout\)=(?P<connect>\d+)/(?P<read>\d+)/(?P<write>\d+)/"
    r"(?P<timeout>\d+) answers=(?P<answers>\d+) non_2xx=(?P<non_2xx>\d+) "
    r"wrong_length=(?P<wrong_length>\d+) samples=(?P<samples>\d+) "
    r"tokens_short=(?P<tokens_short>\d+)"
)


@dataclass(frozen=True)
class WrkResult:
    """What load.lua's done() prints: wrk's summary and the answers' checks."""

    rps: float
    p50: float  # ms
    p95: float
    p99: float
    requests: int  # answered within the run
    status_errors: int  # wrk's own count: status 400 and above
    connect: int
    read: int
    write: int
    timeout: int
    answers: int  # seen by response()
    non_2xx: int
    wrong_length: int  # answers whose length differs from the verified cold answer's
    samples: int  # answers written out for a full comparison
    tokens_short: int  # requests that had to reuse a token

    @property
    def socket_errors(self) -> int:
        return self.connect + self.read + self.write + self.timeout


def parse_wrk(output: str) -> WrkResult | None:
    """The RESULT line of a wrk run's output, or None when there is none (wrk failed)."""
    match = RESULT_LINE.search(output)
    if not match:
        return None
    number = match.groupdict()
    return WrkResult(
        rps=float(number["rps"]),
        p50=float(number["p50"]),
        p95=float(number["p95"]),
        p99=float(number["p99"]),
        requests=int(number["requests"]),
        status_errors=int(number["status"]),
        connect=int(number["connect"]),
        read=int(number["read"]),
        write=int(number["write"]),
        timeout=int(number["timeout"]),
        answers=int(number["answers"]),
        non_2xx=int(number["non_2xx"]),
        wrong_length=int(number["wrong_length"]),
        samples=int(number["samples"]),
        tokens_short=int(number["tokens_short"]),
    )


def failure_reasons(result: WrkResult, sample_problems: list[str]) -> list[str]:
    """Why a measured run must show **failed** instead of figures; empty when it is sound.

    Any non-2xx answer, any socket error or timeout, any answer unlike the verified one, any
    reused token (the unique mode would not be unique), or nothing answered at all.
    """
    reasons = []
    if result.requests == 0:
        reasons.append("no request was answered within the run (a longer BENCH_SECONDS may help)")
    non_2xx = max(result.non_2xx, result.status_errors)
    if non_2xx:
        reasons.append(f"{non_2xx} non-2xx answers")
    if result.socket_errors:
        reasons.append(
            f"{result.socket_errors} socket errors (connect/read/write/timeout "
            f"{result.connect}/{result.read}/{result.write}/{result.timeout})"
        )
    if result.wrong_length:
        reasons.append(
            f"{result.wrong_length} answers of another length than the verified cold answer"
        )
    if result.answers and not result.samples:
        reasons.append("no answer was sampled for a full comparison")
    reasons += [f"sampled answer {problem}" for problem in sample_problems]
    if result.tokens_short:
        reasons.append(
            f"{result.tokens_short} requests reused a token (the pool for "
            "BENCH_TOKEN_RATE requests/s ran out: raise it)"
        )
    return reasons


@dataclass
class Run:
    """One measured run of one gateway in one mode."""

    wrk: WrkResult
    in_flight: int  # left in flight when wrk stopped (one per connection)
    subgraph_calls: int  # from the run's start until the gateway went quiet after it
    cpu_seconds: float  # the gateway's processes over the run
    wall_seconds: float
    peak_rss_kib: int  # the gateway's processes, highest resident set so far (VmHWM)
    failures: list[str] = field(default_factory=list)
    #: how busy the CPU of the subgraph server and wrk was over the run, in % (None: not pinned)
    load_cpu_busy: float | None = None

    @property
    def failed(self) -> bool:
        return bool(self.failures)

    @property
    def calls_per_request(self) -> float:
        return self.subgraph_calls / max(self.wrk.requests + self.in_flight, 1)

    @property
    def gateway_cpu(self) -> float:
        """CPU time over the run in % of one core."""
        return 100.0 * self.cpu_seconds / max(self.wall_seconds, 1e-9)

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000.0 * self.cpu_seconds / max(self.wrk.requests, 1)


def sample_every(warmup_rps: float | None, seconds: int, sample_max: int) -> int:
    """Write out every n-th answer so that about `sample_max` spread over the run: n from the
    warm-up's rate when there was one, else every 50th."""
    if not warmup_rps:
        return 50
    return max(1, int(warmup_rps * seconds / sample_max))


def vm_hwm_kib(proc_status: str) -> int:
    """`VmHWM` (peak resident set) of a /proc/<pid>/status text, in KiB; 0 when absent."""
    for line in proc_status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0

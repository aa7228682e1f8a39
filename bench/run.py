"""`make bench`: our gateway beside Apollo Gateway, Hive Gateway and Grafbase on one scenario.

The scenario lives in `bench/federation/` (four Federation v1 subgraphs served by one Node
process on 127.0.0.1:4200, the `TestQuery` of `query.graphql`, its answer
`expected-response.json`). For each gateway in turn this script starts it, checks its answer to
one cold request, load-tests it with wrk in two modes (identical requests, then a unique
`Authorization` header on each), stops it, and finally writes `bench/RESULTS.md`.

Settings (environment): BENCH_CONNECTIONS (50), BENCH_SECONDS (8), BENCH_WARMUP (3),
BENCH_GATEWAYS (comma-separated subset of: ours, apollo-gateway, hive-gateway, hive-gateway-rr,
grafbase; default all). Everything binds to and targets 127.0.0.1 only; every load run is bounded
in time by wrk's `-d` and by a hard subprocess timeout; every process started here is stopped on
exit, failure, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
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
MODES = (
    ("identical", "post.lua", "identical requests (`post.lua`)"),
    (
        "unique",
        "post-unique.lua",
        "a unique `Authorization` header on each request (`post-unique.lua`)",
    ),
)
# No proxy may ever see this traffic: it is loopback only.
NO_PROXY_ENV = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


class BenchError(Exception):
    """A prerequisite is missing; the message says how to fix it."""


def env_int(name: str, default: int, minimum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BenchError(f"{name} must be an integer (got {raw!r})") from None
    if value < minimum:
        raise BenchError(f"{name} must be at least {minimum} (got {value})")
    return value


# ---------------------------------------------------------------- processes


class Processes:
    """Every process this script starts, each in a session (process group) of its own."""

    def __init__(self) -> None:
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(
        self, name: str, cmd: list[str], *, cwd: Path, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        LOGS.mkdir(exist_ok=True)
        out = open(LOGS / f"{name}.log", "wb")  # noqa: SIM115 - closed when the child ends
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env={**os.environ, **NO_PROXY_ENV, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        self.running[name] = proc
        return proc

    def stop(self, name: str) -> None:
        proc = self.running.pop(name, None)
        if proc is None:
            return
        if proc.poll() is None:
            for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=grace)
                    break
                except subprocess.TimeoutExpired:
                    continue
        # Children that outlived the leader (same process group) go too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)


def group_cpu_ticks(pgid: int) -> int:
    """utime + stime of every live process in process group `pgid`."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        # fields[0] is field 3 (state): pgrp is field 5, utime 14, stime 15.
        if int(fields[2]) == pgid:
            total += int(fields[11]) + int(fields[12])
    return total


def port_in_use(port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def http(
    method: str, url: str, body: bytes | None = None, timeout: float = 30.0
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with LOOPBACK.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_listening(proc: subprocess.Popen[bytes], port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if port_in_use(port):
            return True
        time.sleep(0.25)
    return False


def log_tail(name: str, lines: int = 8) -> str:
    try:
        text = (LOGS / f"{name}.log").read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


# ---------------------------------------------------------------- answers


def first_difference(expected: Any, got: Any, path: str = "$") -> str | None:
    """None when `got` equals `expected` (object key order ignored, as in the kit's verify.mjs)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"{path}: expected an object, got {short(got)}"
        for key in expected:
            if key not in got:
                return f"{path}.{key}: missing (expected {short(expected[key])})"
            diff = first_difference(expected[key], got[key], f"{path}.{key}")
            if diff:
                return diff
        for key in got:
            if key not in expected:
                return f"{path}.{key}: unexpected, got {short(got[key])}"
        return None
    if isinstance(expected, list):
        if not isinstance(got, list):
            return f"{path}: expected a list, got {short(got)}"
        for index, (e, g) in enumerate(zip(expected, got, strict=False)):
            diff = first_difference(e, g, f"{path}[{index}]")
            if diff:
                return diff
        if len(expected) != len(got):
            return f"{path}: expected {len(expected)} items, got {len(got)}"
        return None
    same_type = isinstance(expected, bool) == isinstance(got, bool) and (
        type(expected) is type(got)
        or (isinstance(expected, int | float) and isinstance(got, int | float))
    )
    if not same_type or expected != got:
        return f"{path}: expected {short(expected)}, got {short(got)}"
    return None


def short(value: Any, limit: int = 160) -> str:
    text = json.dumps(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ---------------------------------------------------------------- gateways


@dataclass
class Gateway:
    name: str
    title: str
    port: int
    cmd: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    optional: bool = False
    version: str = ""


def npm_version(package: str) -> str:
    try:
        return str(
            json.loads((FED / "node_modules" / package / "package.json").read_text())["version"]
        )
    except (OSError, ValueError, KeyError):
        return "?"


def gateways(pin: list[str]) -> list[Gateway]:
    hive_bin = str(FED / "node_modules" / ".bin" / "hive-gateway")
    supergraph = "supergraph.graphql"
    ours_env = {
        "GATEWAY_ENV": "production",
        "GATEWAY_LOG_LEVEL": "warning",
        **{
            f"GATEWAY_SUBGRAPH_{name.upper()}_URL": f"http://{HOST}:{SUBGRAPHS_PORT}/{name}"
            for name in SUBGRAPH_NAMES
        },
    }
    node_env = {"NODE_ENV": "production", "APOLLO_TELEMETRY_DISABLED": "1"}
    return [
        Gateway(
            "ours",
            "ours (Python)",
            4100,
            [
                *pin,
                sys.executable,
                "-m",
                "gateway",
                "--supergraph",
                str(FED / supergraph),
                "--host",
                HOST,
                "--port",
                "4100",
            ],
            ROOT,
            ours_env,
            version=git_describe(),
        ),
        Gateway(
            "apollo-gateway",
            "Apollo Gateway (Node)",
            4101,
            [*pin, "node", "gateways/apollo-gateway.mjs", supergraph, "4101"],
            FED,
            node_env,
            version=npm_version("@apollo/gateway"),
        ),
        Gateway(
            "hive-gateway",
            "Hive Gateway (Node)",
            4102,
            [
                *pin,
                hive_bin,
                "-c",
                "gateways/hive/gateway.config.mjs",
                "supergraph",
                supergraph,
                "--jit",
                "--host",
                HOST,
                "--port",
                "4102",
            ],
            FED,
            node_env,
            version=npm_version("@graphql-hive/gateway"),
        ),
        Gateway(
            "hive-gateway-rr",
            "Hive Gateway + Rust planner",
            4103,
            [
                *pin,
                hive_bin,
                "-c",
                "gateways/hive-rr/gateway.config.mjs",
                "supergraph",
                supergraph,
                "--host",
                HOST,
                "--port",
                "4103",
            ],
            FED,
            node_env,
            optional=True,
            version=f"{npm_version('@graphql-hive/gateway')} + router-runtime "
            f"{npm_version('@graphql-hive/router-runtime')}",
        ),
        Gateway(
            "grafbase",
            "Grafbase `dev` (Rust)",
            4104,
            [
                *pin,
                str(GRAFBASE_BIN),
                "--home",
                "grafbase/home",
                "dev",
                "-c",
                "grafbase/grafbase.toml",
                "--listen-address",
                f"{HOST}:4104",
            ],
            FED,
            optional=True,
            version=GRAFBASE_PACKAGE.rsplit("@", 1)[1],
        ),
    ]


def git_describe() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "gateway", "common"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return f"{sha}{' + local changes' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        return "?"


# ---------------------------------------------------------------- prerequisites


def ensure_node() -> str:
    if not shutil.which("node") or not shutil.which("npm"):
        raise BenchError("Node.js 20+ and npm are needed (Debian: apt-get install -y nodejs npm)")
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    if int(version.lstrip("v").split(".")[0]) < 20:
        raise BenchError(f"Node.js 20+ is needed (found {version})")
    return version


def ensure_npm_packages() -> None:
    marker = FED / "node_modules" / ".package-lock.json"
    lock = FED / "package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    log("installing the subgraph server's and peer gateways' npm packages (npm ci)")
    result = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=FED, timeout=900
    )
    if result.returncode != 0:
        raise BenchError("npm ci failed in bench/federation (see the output above)")


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        if os.geteuid() == 0 and shutil.which("apt-get"):
            log("wrk is missing: apt-get install -y wrk")
            subprocess.run(["apt-get", "update", "-qq"], timeout=600)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], timeout=600)
        if not shutil.which("wrk"):
            raise BenchError(
                "wrk (the load generator) is not installed: run `sudo apt-get install -y wrk` "
                "(Debian/Ubuntu), `brew install wrk` (macOS), or build it from its source, then "
                "run `make bench` again"
            )
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return (out.stdout + out.stderr).split("Copyright")[0].strip()


def ensure_grafbase() -> str | None:
    """Unpack the Grafbase CLI from its npm package; a reason when it cannot be had."""
    if GRAFBASE_BIN.exists():
        return None
    target = FED / "grafbase"
    log(f"fetching the optional Grafbase CLI ({GRAFBASE_PACKAGE}) with npm pack")
    try:
        packed = subprocess.run(
            ["npm", "pack", "--silent", GRAFBASE_PACKAGE],
            cwd=target,
            capture_output=True,
            text=True,
            timeout=600,
        )
        tarballs = sorted(target.glob("grafbase-cli-*.tgz"))
        if packed.returncode != 0 or not tarballs:
            why = (packed.stderr or packed.stdout).strip()[:200]
            return f"npm pack {GRAFBASE_PACKAGE} failed: {why}"
        subprocess.run(["tar", "xzf", tarballs[-1].name], cwd=target, check=True, timeout=300)
        for tarball in tarballs:
            tarball.unlink()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"could not install the Grafbase CLI: {exc}"
    return None if GRAFBASE_BIN.exists() else "the Grafbase package holds no grafbase binary"


def cpu_plan() -> tuple[list[str], list[str], str]:
    """taskset prefixes for (subgraphs + wrk, gateway) and a sentence describing them."""
    cpus = sorted(os.sched_getaffinity(0))
    if not shutil.which("taskset"):
        return [], [], "not pinned (taskset not found)"
    if len(cpus) < 2:
        return [], [], f"not pinned (only CPU {cpus[0]} available)"
    a, b = cpus[0], cpus[1]
    return (
        ["taskset", "-c", str(a)],
        ["taskset", "-c", str(b)],
        f"subgraph server and wrk on CPU {a}, the gateway under test alone on CPU {b} (taskset)",
    )


def machine() -> dict[str, str]:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


# ---------------------------------------------------------------- measuring


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


@dataclass
class Outcome:
    gateway: Gateway
    status: str = "ok"  # ok | wrong answer | did not start | skipped | failed
    note: str = ""
    correct: bool | None = None
    cold_calls: int | None = None
    cold_ms: float | None = None
    runs: dict[str, Run | str] = field(default_factory=dict)


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


class Bench:
    def __init__(
        self, procs: Processes, wrk_pin: list[str], connections: int, seconds: int, warmup: int
    ) -> None:
        self.procs = procs
        self.wrk_pin = wrk_pin
        self.connections = connections
        self.seconds = seconds
        self.warmup = warmup
        self.body = (FED / "body.json").read_bytes()
        self.expected = json.loads((FED / "expected-response.json").read_text())

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

    def gateway(self, gw: Gateway) -> Outcome:
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
            try:
                diff = first_difference(self.expected, json.loads(raw))
            except ValueError:
                diff = f"$: the answer is not JSON: {raw[:160]!r}"
            if diff is None and status != 200:
                diff = f"HTTP status {status}"
            outcome.correct = diff is None
            if diff is not None:
                errors = ""
                try:
                    got = json.loads(raw)
                    if isinstance(got, dict) and got.get("errors"):
                        errors = f"; errors[0].message: {short(got['errors'][0].get('message'))}"
                except (ValueError, AttributeError):
                    pass
                outcome.status = "wrong answer"
                outcome.note = f"HTTP {status}, first difference at {diff}{errors}"
                log(f"{gw.name}: WRONG ANSWER ({outcome.note})")
                return outcome
            log(f"{gw.name}: answer correct; cold request cost {outcome.cold_calls} subgraph calls")
            for mode, script, _ in MODES:
                run = self.measure(gw, proc, mode, script)
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


# ---------------------------------------------------------------- report


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


# ---------------------------------------------------------------- main


def raise_exit(signum: int, _frame: Any) -> None:
    print(f"bench: stopped by signal {signum}; stopping every process it started", file=sys.stderr)
    raise SystemExit(128 + signum)


def main() -> int:
    # Ctrl-C works even when started from a shell that ignores SIGINT in background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, raise_exit)
    signal.signal(signal.SIGHUP, raise_exit)
    started = time.monotonic()
    procs = Processes()
    try:
        connections = env_int("BENCH_CONNECTIONS", 50, 1)
        seconds = env_int("BENCH_SECONDS", 8, 1)
        warmup = env_int("BENCH_WARMUP", 3, 0)
        node = ensure_node()
        ensure_npm_packages()
        wrk_version = ensure_wrk()
        sub_pin, gw_pin, pinning = cpu_plan()
        all_gateways = gateways(gw_pin)
        wanted = os.environ.get("BENCH_GATEWAYS", "").strip()
        if wanted:
            names = [n.strip() for n in wanted.split(",") if n.strip()]
            unknown = set(names) - {g.name for g in all_gateways}
            if unknown:
                raise BenchError(
                    f"BENCH_GATEWAYS: unknown {sorted(unknown)}; known: "
                    f"{', '.join(g.name for g in all_gateways)}"
                )
            all_gateways = [g for g in all_gateways if g.name in names]
        skipped: dict[str, str] = {}
        if any(g.name == "grafbase" for g in all_gateways):
            reason = ensure_grafbase()
            if reason:
                skipped["grafbase"] = reason
        LOGS.mkdir(exist_ok=True)
        for old in LOGS.glob("*.log"):
            old.unlink()
        if port_in_use(SUBGRAPHS_PORT):
            raise BenchError(f"port {SUBGRAPHS_PORT} (the subgraph server's) is already in use")
        info = {
            **machine(),
            "node": node,
            "wrk": wrk_version,
            "commit": git_describe(),
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        log(
            f"settings: {connections} connections, {seconds} s runs after {warmup} s warm-up; "
            f"{pinning}"
        )

        sub = procs.start(
            "subgraphs", [*sub_pin, "node", "subgraphs/server.mjs", str(SUBGRAPHS_PORT)], cwd=FED
        )
        if not wait_listening(sub, SUBGRAPHS_PORT, START_TIMEOUT):
            raise BenchError(f"the subgraph server did not start: {log_tail('subgraphs')}")
        log(f"subgraphs listening on {HOST}:{SUBGRAPHS_PORT}")

        bench = Bench(procs, sub_pin, connections, seconds, warmup)
        outcomes: list[Outcome] = []
        for gw in all_gateways:
            if gw.name in skipped:
                outcomes.append(Outcome(gw, status="skipped", note=skipped[gw.name]))
                log(f"{gw.name}: skipped ({skipped[gw.name]})")
                continue
            outcome = bench.gateway(gw)
            if outcome.status == "did not start":
                if gw.optional:
                    outcome.status = "skipped"
                    outcome.note = f"did not start ({outcome.note})"
                log(f"{gw.name}: {outcome.status}: {outcome.note}")
            outcomes.append(outcome)
        elapsed = time.monotonic() - started
        write_results(
            outcomes,
            info,
            {"connections": connections, "seconds": seconds, "warmup": warmup, "pinning": pinning},
            elapsed,
        )
        log(f"wrote {RESULTS.relative_to(ROOT)} in {elapsed:.0f} s")
        print(RESULTS.read_text())
        return 0
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"bench: {exc} (is the subgraph server still up? see bench/logs/)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted; stopping every process it started", file=sys.stderr)
        return 130
    finally:
        procs.stop_all()


if __name__ == "__main__":
    sys.exit(main())

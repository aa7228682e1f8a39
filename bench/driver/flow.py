"""The run, start to end: settings, prerequisites, the subgraph server, each gateway, RESULTS.md."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

from .credentials import TokenPool, TokenSigner, gateway_auth_env, run_secrets
from .gateways import Gateway, gateways, git_describe
from .load import Load
from .loopback import port_in_use, wait_listening
from .machine import cpu_plan, machine
from .planning import Planning, cold_planning
from .prerequisites import ensure_grafbase, ensure_node, ensure_npm_packages, ensure_wrk
from .processes import Processes, log_tail, stop_on_signals
from .profile import py_spy
from .report import write_results
from .rounds import fold
from .scenario import FED, HOST, LOGS, RESULTS, ROOT, START_TIMEOUT, SUBGRAPHS_PORT, BenchError, log
from .trial import Outcome, Trials


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


def chosen_gateways(all_gateways: list[Gateway]) -> list[Gateway]:
    """The gateways BENCH_GATEWAYS names (all when it is empty), in the run's order."""
    wanted = os.environ.get("BENCH_GATEWAYS", "").strip()
    if not wanted:
        return all_gateways
    names = [n.strip() for n in wanted.split(",") if n.strip()]
    unknown = set(names) - {g.name for g in all_gateways}
    if unknown:
        raise BenchError(
            f"BENCH_GATEWAYS: unknown {sorted(unknown)}; known: "
            f"{', '.join(g.name for g in all_gateways)}"
        )
    return [g for g in all_gateways if g.name in names]


def chosen_profiler() -> tuple[str, bool] | None:
    """BENCH_PROFILE: empty (off), `1` (py-spy, not pausing the gateway) or `native` (py-spy
    with C frames, pausing it for each sample)."""
    wanted = os.environ.get("BENCH_PROFILE", "").strip().lower()
    if wanted in ("", "0", "false", "no"):
        return None
    if wanted not in ("1", "true", "yes", "native"):
        raise BenchError(f"BENCH_PROFILE must be empty, 1 or native (got {wanted!r})")
    spy = py_spy()
    if spy is None:
        raise BenchError(
            "BENCH_PROFILE needs py-spy: `make bench-profile` installs it (the `bench` extra), "
            "or pip install py-spy"
        )
    return spy, wanted == "native"


def main() -> int:
    stop_on_signals()
    started = time.monotonic()
    procs = Processes()
    try:
        connections = env_int("BENCH_CONNECTIONS", 50, 1)
        seconds = env_int("BENCH_SECONDS", 8, 1)
        warmup = env_int("BENCH_WARMUP", 3, 0)
        token_rate = env_int("BENCH_TOKEN_RATE", 5000, 1)
        profiler = chosen_profiler()
        # Profiles are written per run: a profiled run has one round unless told otherwise.
        rounds = env_int("BENCH_ROUNDS", 1 if profiler else 3, 1)
        node = ensure_node()
        ensure_npm_packages()
        wrk_version = ensure_wrk()
        plan = cpu_plan()
        # Fresh secrets for our gateway (production refuses defaults), and the key of the run's
        # tokens: nothing of them outlives the run but bench/logs/.
        run_auth = run_secrets()
        signer = TokenSigner(run_auth["AUTH_JWT_SECRET"], issued_at=int(time.time()))
        all_gateways = chosen_gateways(gateways(plan.gateway_pin, gateway_auth_env(run_auth)))
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
            f"settings: {connections} connections, {seconds} s runs after {warmup} s warm-up, "
            f"{rounds} round(s); {plan.description}"
        )

        sub = procs.start(
            "subgraphs",
            [*plan.load_pin, "node", "subgraphs/server.mjs", str(SUBGRAPHS_PORT)],
            cwd=FED,
        )
        if not wait_listening(sub, SUBGRAPHS_PORT, START_TIMEOUT):
            raise BenchError(f"the subgraph server did not start: {log_tail('subgraphs')}")
        log(f"subgraphs listening on {HOST}:{SUBGRAPHS_PORT}")

        trials = Trials(
            Load(procs, plan, connections, seconds, warmup, token_rate, profiler),
            TokenPool(signer),
        )
        rounds_of: dict[str, list[Outcome]] = {gw.name: [] for gw in all_gateways}
        for number in range(1, rounds + 1):
            if rounds > 1:
                log(f"round {number} of {rounds}")
            for gw in all_gateways:
                earlier = rounds_of[gw.name]
                if earlier and earlier[-1].status != "ok":
                    continue  # skipped, did not start or failed: not tried again
                if gw.name in skipped:
                    earlier.append(Outcome(gw, status="skipped", note=skipped[gw.name]))
                    log(f"{gw.name}: skipped ({skipped[gw.name]})")
                    continue
                outcome = trials.run(gw)
                if outcome.status == "did not start":
                    if gw.optional:
                        outcome.status = "skipped"
                        outcome.note = f"did not start ({outcome.note})"
                    log(f"{gw.name}: {outcome.status}: {outcome.note}")
                earlier.append(outcome)
        outcomes = [fold(rounds_of[gw.name]) for gw in all_gateways]
        planning: Planning | None = None
        if any(g.name == "ours" for g in all_gateways):
            planning = cold_planning(plan.gateway_pin)
        elapsed = time.monotonic() - started
        # A profiled run's figures are not the benchmark's: they stay beside the profiles.
        results = LOGS / "RESULTS-profiled.md" if profiler else RESULTS
        settings = {
            "connections": connections,
            "seconds": seconds,
            "warmup": warmup,
            "rounds": rounds,
            "pinning": plan.description,
            "profiled": profiler is not None,
        }
        write_results(outcomes, info, settings, planning, elapsed, results)
        log(f"wrote {results.relative_to(ROOT)} in {elapsed:.0f} s")
        print(results.read_text())
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

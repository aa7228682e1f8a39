"""`python -m bench.loadtest` (`make loadtest`): the real system under a realistic mix.

Starts the stack (or uses LOADTEST_TARGET's), makes the data the load needs through the gateway,
measures SQL statements per operation on the quiet system, runs Locust headless for
LOADTEST_SECONDS, reads the subgraphs' SQL counters and every process's CPU time around it, and
writes bench/LOADTEST.md. Exits 1 when any request failed, 2 on a setting or start-up error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench.driver.gateways import git_describe
from bench.driver.machine import busy_warning
from bench.driver.processes import stop_on_signals

from .measures import Snapshot, read_locust_csv
from .operations import OrderApi
from .population import PopulationError, populate
from .probes import probe_operations
from .report import Facts, write_loadtest
from .settings import LoadSettings, SettingsError
from .stack import Stack, StackError, own_stack, running_stack

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "bench" / "logs" / "loadtest"
REPORT = ROOT / "bench" / "LOADTEST.md"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"


def log(message: str) -> None:
    print(f"[loadtest] {message}", flush=True)


def the_stack(settings: LoadSettings) -> contextlib.AbstractContextManager[Stack]:
    return running_stack(settings) if settings.target else own_stack(settings, LOGS)


def run_locust(settings: LoadSettings, stack: Stack, population_file: Path) -> float:
    """Locust headless against the gateway; its CPU seconds."""
    prefix = LOGS / "locust"
    cmd = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(settings.users),
        "--spawn-rate",
        str(settings.spawn_rate),
        "--run-time",
        f"{settings.seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        stack.gateway_url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    env = {
        **os.environ,
        "LOADTEST_POPULATION": str(population_file),
        "PYTHONPATH": str(ROOT),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with (LOGS / "locust.log").open("wb") as out:
        subprocess.run(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=settings.seconds + 120,
            check=False,
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


@contextlib.contextmanager
def fresh_logs() -> Iterator[Path]:
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    yield LOGS


def main() -> int:
    stop_on_signals()
    try:
        settings = LoadSettings.from_env()
    except SettingsError as exc:
        print(f"loadtest: {exc}", file=sys.stderr)
        return 2
    load_average = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    busy = busy_warning(os.getloadavg()[0], os.cpu_count() or 1)
    api = OrderApi.of_tree()
    try:
        with fresh_logs(), the_stack(settings) as stack:
            log(f"stack: {stack.description}; gateway {stack.gateway_url}")
            log(f"making the data: {settings.products} products, {settings.shoppers} shoppers")
            population = populate(stack, settings.shoppers, settings.products, api)
            population_file = population.save(LOGS / "population.json")
            log("SQL statements of each operation alone")
            probes = probe_operations(stack, population, api)
            log(f"Locust: {settings.users} clients for {settings.seconds} s")
            before = Snapshot.take(stack)
            locust_cpu = run_locust(settings, stack, population_file)
            after = Snapshot.take(stack)
            stats = read_locust_csv(LOGS / "locust")
            if stats.total is None:
                log(f"Locust wrote no statistics; see {LOGS / 'locust.log'}")
                return 1
            facts = Facts(
                date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                commit=git_describe(),
                machine=f"{os.cpu_count()} CPUs, Linux {platform.release()}, "
                f"Python {platform.python_version()}",
                load_average=load_average,
                busy=busy,
                stack=stack.description,
                locust=_locust_version(),
                order_path=(
                    "with GraphQL `createOrder(input: {..., idempotencyKey})`"
                    if api.graphql_idempotency
                    else "through `POST /api/v1/orders` with an `Idempotency-Key` header (this "
                    "tree's `CreateOrderInput` has no `idempotencyKey` yet)"
                ),
            )
            write_loadtest(REPORT, facts, settings, stats, before, after, probes, locust_cpu)
    except (StackError, PopulationError) as exc:
        print(f"loadtest: {exc}", file=sys.stderr)
        return 2
    total = stats.total
    log(
        f"{total.requests} requests, {total.rps:.1f}/s, {total.failures} errors; "
        f"wrote {REPORT.relative_to(ROOT)}"
    )
    print(REPORT.read_text())
    return 1 if total.failures else 0


def _locust_version() -> str:
    from importlib.metadata import version

    return version("locust")


if __name__ == "__main__":
    sys.exit(main())

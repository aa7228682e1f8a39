"""The system under load: every subgraph and the gateway as `make run` starts them, but in
production mode, on throwaway PostgreSQL databases, on free ports, with secrets of the run's own;
events on Redis Streams under a stream of the run's own (or the local event log).

Or, with LOADTEST_TARGET, a stack that is already running (`make run`'s): then nothing is started
and the processes are found by the ports they listen on.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.driver.credentials import gateway_auth_env, run_secrets
from devstack.processes import ROOT, Service, free_port, start, stop, wait_healthy
from devstack.stack import GATEWAY_DEFAULT_PORT, SUBGRAPHS, gateway_service, subgraph_service

from .settings import LoadSettings

ADMIN_LOGIN = "ada.lovelace"


class StackError(RuntimeError):
    """The stack could not be started or reached; the message says why and what to do."""


@dataclass
class Stack:
    """The gateway's URL, each subgraph's URL, their process ids, and the admin's password."""

    gateway_url: str
    subgraph_urls: dict[str, str]
    #: service name -> process group id (ours) or pid (a running stack's), for CPU time
    pids: dict[str, int]
    admin_password: str
    metrics_token: str | None = None
    services: list[Service] = field(default_factory=list)
    description: str = ""


async def _execute(dsn: str, *statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn, timeout=5)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@contextlib.contextmanager
def throwaway_databases(admin_dsn: str, names: list[str]) -> Iterator[dict[str, str]]:
    """A fresh PostgreSQL database per name (`loadtest_<run>_<name>`), dropped afterwards."""
    run = uuid.uuid4().hex[:8]
    databases = {name: f"loadtest_{run}_{name}" for name in names}
    try:
        asyncio.run(_execute(admin_dsn, *(f'CREATE DATABASE "{db}"' for db in databases.values())))
    except Exception as exc:  # any failure to reach or use the server
        raise StackError(
            f"cannot create throwaway databases on {admin_dsn} ({exc}); start PostgreSQL or set "
            "LOADTEST_POSTGRES_DSN to an admin connection"
        ) from exc
    base = admin_dsn.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        yield {name: f"{base}/{db}" for name, db in databases.items()}
    finally:
        asyncio.run(
            _execute(
                admin_dsn,
                *(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)' for db in databases.values()),
            )
        )


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except Exception:  # any failure means "not reachable"
        return False


def forget_redis_keys(url: str, prefix: str) -> None:
    """Delete the run's keys and streams (everything under `prefix`)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    for key in client.scan_iter(match=f"{prefix}*", count=500):
        client.delete(key)


@contextlib.contextmanager
def own_stack(settings: LoadSettings, log_dir: Path) -> Iterator[Stack]:
    """Start the whole system on throwaway databases and free ports; stop and drop it after."""
    run = f"loadtest-{uuid.uuid4().hex[:8]}"
    auth = gateway_auth_env(run_secrets())
    admin_password = secrets.token_urlsafe(18)
    redis_url = (
        settings.redis_url if settings.redis and redis_reachable(settings.redis_url) else None
    )
    if settings.redis and redis_url is None and settings.redis_required:
        raise StackError(
            f"Redis is not reachable at {settings.redis_url}; set LOADTEST_REDIS=false"
        )
    names = [sg.name for sg in SUBGRAPHS] + ([] if redis_url else ["gateway"])
    with throwaway_databases(settings.postgres_dsn, names) as db_urls:
        events = _events_env(redis_url, run, log_dir)
        production = {f"{sg.env_prefix}ENV": "production" for sg in SUBGRAPHS}
        shared = {
            **auth,
            **events,
            **production,
            "USER_SERVICE_SEED_ADMIN_PASSWORD": admin_password,
        }
        ports = {sg.name: free_port() for sg in SUBGRAPHS}
        services: list[Service] = []
        try:
            for sg in SUBGRAPHS:
                services.append(
                    start(
                        subgraph_service(
                            sg, ports[sg.name], db_urls[sg.name], log_dir, extra_env=shared
                        )
                    )
                )
            for service in services:
                wait_healthy(service, timeout=120)
            gateway_env = {
                **auth,
                **events,
                "GATEWAY_ENV": "production",
                "GATEWAY_LOG_LEVEL": "warning",
                # Behind nginx every client has its own X-Forwarded-For; the load's clients do
                # too, so rate limits and login throttling count them apart, as in production.
                "GATEWAY_TRUST_FORWARDED_FOR": "true",
                "GATEWAY_RATE_LIMIT_PREFIX": f"{run}:rate:",
                "GATEWAY_IDEMPOTENCY_PREFIX": f"{run}:idempotency:",
            }
            if redis_url is None:
                gateway_env["GATEWAY_IDEMPOTENCY_DATABASE_URL"] = db_urls["gateway"]
            supergraph = ROOT / "schema" / "supergraph.graphql"
            gateway = start(
                gateway_service(free_port(), supergraph, ports, log_dir, extra_env=gateway_env)
            )
            services.append(gateway)
            wait_healthy(gateway, timeout=120)
        except Exception as exc:
            stop(services)
            raise StackError(f"the stack did not start: {exc}") from exc
        where = "Redis Streams" if redis_url else "the local event log"
        try:
            yield Stack(
                gateway_url=gateway.url,
                subgraph_urls={s.name: s.url for s in services if s.name != "gateway"},
                pids={s.name: s.process.pid for s in services if s.process is not None},
                admin_password=admin_password,
                metrics_token=auth.get("GATEWAY_METRICS_TOKEN"),
                services=services,
                description=(
                    "started by the load test: every subgraph and the gateway, production mode, "
                    f"throwaway PostgreSQL databases, events on {where}, one process each"
                ),
            )
        finally:
            stop(services)
            if redis_url:
                forget_redis_keys(redis_url, run)


def _events_env(redis_url: str | None, run: str, log_dir: Path) -> dict[str, str]:
    if redis_url is None:
        return {
            "REDIS_ENABLED": "false",
            "EVENTS_LOG_URL": f"sqlite+aiosqlite:///{log_dir / 'events.db'}",
        }
    parts = urlsplit(redis_url)  # redis://[:password@]host[:port][/db]
    env = {
        "REDIS_ENABLED": "true",
        "REDIS_HOST": parts.hostname or "127.0.0.1",
        "REDIS_PORT": str(parts.port or 6379),
        "REDIS_DB": parts.path.strip("/") or "0",
        "EVENTS_STREAM": f"{run}:events",
    }
    if parts.password:
        env["REDIS_PASSWORD"] = unquote(parts.password)
    return env


def listening_pid(port: int) -> int | None:
    """The process listening on 127.0.0.1:`port` (ss), for a stack this run did not start."""
    try:
        out = subprocess.run(
            ["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    marker = out.find("pid=")
    if marker < 0:
        return None
    digits = out[marker + 4 :].split(",", 1)[0]
    return int(digits) if digits.isdigit() else None


@contextlib.contextmanager
def running_stack(settings: LoadSettings) -> Iterator[Stack]:
    """The stack at LOADTEST_TARGET (`make run`'s: subgraphs on their default ports or
    `<PREFIX>PORT`), with the admin password from USER_SERVICE_SEED_ADMIN_PASSWORD."""
    if not settings.admin_password:
        raise StackError(
            "LOADTEST_TARGET needs the seeded admin's password: set "
            "USER_SERVICE_SEED_ADMIN_PASSWORD as the stack was started with"
        )
    target = settings.target.rstrip("/")
    ports = {sg.name: settings.port_of(sg) for sg in SUBGRAPHS}
    ports["gateway"] = urlsplit(target).port or GATEWAY_DEFAULT_PORT
    pids = {name: pid for name, port in ports.items() if (pid := listening_pid(port)) is not None}
    yield Stack(
        gateway_url=target,
        subgraph_urls={sg.name: f"http://127.0.0.1:{ports[sg.name]}" for sg in SUBGRAPHS},
        pids=pids,
        admin_password=settings.admin_password,
        metrics_token=settings.metrics_token,
        description=f"a running stack at {target} (not started by the load test)",
    )

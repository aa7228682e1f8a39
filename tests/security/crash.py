"""Killing a subgraph process at one exact moment, with the hooks of `subgraphs.kit.test_hooks`.

A hook holds the process at its moment while a flag file exists and logs `test hook: ...`; the
test waits for that line, SIGKILLs the process group, removes the flag and starts the process
again on the same port (and database), as a supervisor would.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from devstack.processes import Service, start, wait_healthy
from tests.support.stack import RunningStack

T = TypeVar("T")
HOOK_LINE = "test hook: "
DEADLINE_SECONDS = 30.0
#: The hook each service of a crash stack has armed: the variable naming its flag file.
CRASH_HOOKS = {
    "orders": "ORDER_SERVICE_TEST_HOLD_ANSWER_FILE",
    "payments": "PAYMENT_SERVICE_TEST_HOLD_ANSWER_FILE",
    "notifications": "NOTIFICATION_SERVICE_TEST_HOLD_AFTER_SEND_FILE",
}


def crash_hooks_env(log_dir: Path) -> dict[str, str]:
    """The environment arming every hook of `CRASH_HOOKS`, flags under `log_dir`."""
    return {variable: str(log_dir / f"hold-{name}") for name, variable in CRASH_HOOKS.items()}


def hook_flag(stack: RunningStack, name: str) -> Path:
    """The flag file that holds `name` at its hook while it exists."""
    return stack.log_dir / f"hold-{name}"


def log_size(service: Service) -> int:
    path = service.log_path
    return path.stat().st_size if path is not None and path.exists() else 0


def wait_for_hook(service: Service, since: int) -> None:
    """Until `service` logs a hook line after byte `since` of its log."""
    assert service.log_path is not None
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        with service.log_path.open("rb") as log:
            log.seek(since)
            if HOOK_LINE.encode() in log.read():
                return
        assert service.process is not None and service.process.poll() is None, service.log_tail()
        assert time.monotonic() < deadline, f"{service.name} never reached its hook"
        time.sleep(0.01)


def kill(service: Service) -> None:
    """SIGKILL the service's process group and reap it."""
    assert service.process is not None
    os.killpg(service.process.pid, signal.SIGKILL)
    service.process.wait()


def restart(stack: RunningStack, name: str, log_suffix: str = "") -> Service:
    """Start `name` again (same port, database and environment); its log goes to a new file
    when `log_suffix` is given, so the old one stays readable."""
    old = stack.services[name]
    log_path = old.log_path
    if log_suffix and log_path is not None:
        log_path = log_path.with_name(f"{log_path.stem}{log_suffix}{log_path.suffix}")
    service = start(replace(old, process=None, log_path=log_path))
    stack.services[name] = service
    wait_healthy(service, timeout=60)
    return service


def killed_at_hook(stack: RunningStack, name: str, flag: Path, request: Callable[[], T]) -> T:
    """Run `request` with `flag` set; when `name` holds at its hook, SIGKILL it, then restart it.

    Returns what `request` got (the gateway's answer to a request whose subgraph died)."""
    service = stack.services[name]
    since = log_size(service)
    flag.touch()
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            outcome = pool.submit(request)
            wait_for_hook(service, since)
            kill(service)
            flag.unlink()
            answer = outcome.result(timeout=DEADLINE_SECONDS)
    finally:
        flag.unlink(missing_ok=True)
    restart(stack, name)
    return answer

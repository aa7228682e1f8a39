"""Start services as child processes, wait until they answer `/health`, stop them all together."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


class StartupError(RuntimeError):
    """A service exited or never became healthy; the message carries the end of its log."""


@dataclass
class Service:
    """One process of the stack: its command, environment, port and log file."""

    name: str
    args: Sequence[str]
    port: int
    env: Mapping[str, str] = field(default_factory=dict)
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    #: the program to run `args` with; None: this Python (`args` start with `-m module`)
    executable: str | None = None

    @property
    def url(self) -> str:
        """The base URL the service listens on."""
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the service wrote, for error messages."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


#: Listening ports are drawn below the kernel's ephemeral range (32768-60999 on Linux), so an
#: outgoing connection of this machine cannot take one between our check and the server's bind.
PORT_RANGE = (20000, 32000)
_PORT_RANGE = PORT_RANGE
_handed_out: set[int] = set()


def port_slice(part: int, parts: int, ports: tuple[int, int] = PORT_RANGE) -> tuple[int, int]:
    """The `part`-th (from 0) of `parts` equal slices of `ports` (start, stop)."""
    if not 0 <= part < parts:
        raise ValueError(f"part {part} of {parts}: must be at least 0 and below {parts}")
    size = (ports[1] - ports[0]) // parts
    return ports[0] + part * size, ports[0] + (part + 1) * size


def share_ports(part: int, parts: int) -> None:
    """From now on, `free_port` draws from slice `part` of `parts` (`port_slice`) only. Processes
    that start servers side by side (the test suite's workers) each take their own slice, so one
    can never take a port another checked, between that check and its server's bind."""
    global _PORT_RANGE
    _PORT_RANGE = port_slice(part, parts)


def free_port() -> int:
    """A TCP port nothing listens on now, not handed out before by this process."""
    for _ in range(200):
        port = random.randrange(*_PORT_RANGE)
        if port in _handed_out:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free TCP port found in {_PORT_RANGE}")


def start(service: Service) -> Service:
    """Spawn the service in its own process group, its output to its log file (or inherited)."""
    env = {**os.environ, **service.env, "PYTHONUNBUFFERED": "1"}
    output = None
    if service.log_path is not None:
        service.log_path.parent.mkdir(parents=True, exist_ok=True)
        output = service.log_path.open("wb")
    service.process = subprocess.Popen(
        [service.executable or sys.executable, *service.args],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
        start_new_session=True,
    )
    return service


def wait_healthy(service: Service, timeout: float = 60.0) -> None:
    """Poll `/health` until it answers 200; `StartupError` if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        if service.process is not None and service.process.poll() is not None:
            raise StartupError(
                f"{service.name} exited with code {service.process.returncode}\n"
                f"{service.log_tail()}"
            )
        try:
            response = httpx.get(f"{service.url}/health", timeout=2.0)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}: {response.text[:200]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.2)
    raise StartupError(
        f"{service.name} not healthy after {timeout:.0f}s ({last})\n{service.log_tail()}"
    )


def stop(services: Sequence[Service], grace: float = 10.0) -> None:
    """SIGTERM every process group, then SIGKILL what is still running after `grace` seconds."""
    running = [s.process for s in services if s.process is not None and s.process.poll() is None]
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in running:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

"""Starting and stopping the run's processes, each in a process group of its own, on any exit."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from .loopback import NO_PROXY_ENV
from .results import vm_hwm_kib
from .scenario import LOGS


class Processes:
    """Every process this run starts, each in a session (process group) of its own."""

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


def group_pids(pgid: int) -> list[int]:
    """The live processes of process group `pgid`."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # After the command's closing parenthesis: state (field 3), ppid, pgrp (field 5).
        if int(stat[stat.rfind(")") + 2 :].split()[2]) == pgid:
            pids.append(int(entry))
    return pids


def group_cpu_ticks(pgid: int) -> int:
    """utime + stime of every live process in process group `pgid`."""
    total = 0
    for pid in group_pids(pgid):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        # fields[0] is field 3 (state): utime is field 14, stime 15.
        total += int(fields[11]) + int(fields[12])
    return total


def group_peak_rss_kib(pgid: int) -> int:
    """The peak resident set (VmHWM) of each live process of group `pgid`, added up, in KiB."""
    total = 0
    for pid in group_pids(pgid):
        try:
            total += vm_hwm_kib(Path(f"/proc/{pid}/status").read_text())
        except OSError:
            continue
    return total


def log_tail(name: str, lines: int = 8) -> str:
    try:
        text = (LOGS / f"{name}.log").read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


def raise_exit(signum: int, _frame: Any) -> None:
    print(f"bench: stopped by signal {signum}; stopping every process it started", file=sys.stderr)
    raise SystemExit(128 + signum)


def stop_on_signals() -> None:
    """Turn Ctrl-C, SIGTERM and SIGHUP into exceptions, so that `finally` stops every process."""
    # Ctrl-C works even when started from a shell that ignores SIGINT in background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, raise_exit)
    signal.signal(signal.SIGHUP, raise_exit)

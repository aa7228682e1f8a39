"""What the run is measured on: the CPUs it pins processes to, and the machine's facts."""

from __future__ import annotations

import os
import platform
import shutil
from pathlib import Path
from typing import NamedTuple


class CpuPlan(NamedTuple):
    """Where the run's processes go: taskset prefixes for the load (subgraph server and wrk)
    and for the gateway under test, a sentence describing them, and the load's CPU (None when
    nothing is pinned)."""

    load_pin: list[str]
    gateway_pin: list[str]
    description: str
    load_cpu: int | None = None


def cpu_plan() -> CpuPlan:
    cpus = sorted(os.sched_getaffinity(0))
    if not shutil.which("taskset"):
        return CpuPlan([], [], "not pinned (taskset not found)")
    if len(cpus) < 2:
        return CpuPlan([], [], f"not pinned (only CPU {cpus[0]} available)")
    a, b = cpus[0], cpus[1]
    return CpuPlan(
        ["taskset", "-c", str(a)],
        ["taskset", "-c", str(b)],
        f"subgraph server and wrk on CPU {a}, the gateway under test alone on CPU {b} (taskset)",
        a,
    )


def cpu_ticks(proc_stat: str, cpu: int) -> tuple[int, int]:
    """(busy, total) clock ticks of CPU `cpu` since boot, from the text of /proc/stat: busy is
    everything but idle and iowait (steal included: time the host took is not ours to use)."""
    prefix = f"cpu{cpu} "
    for line in proc_stat.splitlines():
        if line.startswith(prefix):
            ticks = [int(value) for value in line.split()[1:]]
            # user nice system idle iowait irq softirq steal [guest guest_nice: inside user]
            total = sum(ticks[:8])
            return total - ticks[3] - ticks[4], total
    raise ValueError(f"no line for CPU {cpu} in /proc/stat")


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """How busy a CPU was between two `cpu_ticks` readings, in % of its time."""
    busy, total = after[0] - before[0], after[1] - before[1]
    return 100.0 * busy / total if total > 0 else 0.0


def read_cpu_ticks(cpu: int) -> tuple[int, int]:
    return cpu_ticks(Path("/proc/stat").read_text(), cpu)


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
        "load": ", ".join(f"{value:.1f}" for value in os.getloadavg()),
        "busy": busy_warning(os.getloadavg()[0], os.cpu_count() or 1),
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def busy_warning(load_average: float, cpus: int) -> str:
    """A warning for the report when other work kept the machine busy as a run started (the
    1-minute load average above the CPU count), else ''."""
    if load_average <= cpus:
        return ""
    return (
        f"the machine was busy with other work (load average {load_average:.1f} on {cpus} "
        "CPUs): the figures show how the system behaves then, not what it can do"
    )

"""What the run is measured on: the CPUs it pins processes to, and the machine's facts."""

from __future__ import annotations

import os
import platform
import shutil
from pathlib import Path


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

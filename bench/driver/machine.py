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
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "kernel": platform.release(),
        "python": platform.python_version(),
    }

"""Our gateway's cold planning time per operation, for RESULTS.md.

The measurement itself belongs to the planner (`bench/planning.py`, which plans the benchmark
query and others cold, in-process, and prints its figures). This is the seam: when that script is
in the tree, the run calls it once with this Python and copies what it prints into RESULTS.md;
when it is not, RESULTS.md says so.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

from .scenario import BENCH, ROOT, log

PLANNING_SCRIPT = BENCH / "planning.py"
PLANNING_TIMEOUT = 300


@dataclass(frozen=True)
class Planning:
    """What `bench/planning.py` printed (Markdown), or why there is nothing."""

    report: str = ""
    missing: str = ""


def cold_planning(pin: list[str]) -> Planning:
    """Run `bench/planning.py` (when the tree has it) on the gateway's CPU (`pin`, a taskset
    prefix) and keep what it prints."""
    if not PLANNING_SCRIPT.exists():
        return Planning(missing="not measured: this tree has no `bench/planning.py` yet")
    log("planning time: running bench/planning.py")
    try:
        done = subprocess.run(
            [*pin, sys.executable, str(PLANNING_SCRIPT)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=PLANNING_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Planning(missing=f"bench/planning.py did not finish: {exc}")
    if done.returncode != 0:
        tail = " ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        return Planning(missing=f"bench/planning.py failed (exit {done.returncode}): {tail}")
    return Planning(report=done.stdout.strip())

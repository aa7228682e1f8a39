"""Generated files (dashboards, manifests) must be what their generator writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from devstack.processes import ROOT


def assert_fresh(generator: Path) -> None:
    """Run the generator with `--check`: it fails naming the files that are stale."""
    checked = subprocess.run(
        [sys.executable, str(generator), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr

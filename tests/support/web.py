"""The web front for tests: Node with the frontend's npm packages, a fresh build, Chromium, nginx.

What is missing skips the test with the reason, or fails it under `CI=true`
(`tests.support.servers.missing`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from devstack.edge import nginx_binary
from devstack.processes import ROOT
from tests.support.servers import missing

FRONTEND = ROOT / "frontend"
DIST_INDEX = FRONTEND / "dist" / "index.html"
CHROMIUM = Path("/usr/bin/chromium")
#: What a build is made from: a newer file than the build means it must be built again.
BUILD_INPUTS = ("src", "index.html", "graphiql.html", "vite.config.ts", "package-lock.json")


def node() -> str:
    """`node`, with the frontend's packages installed from the lock file (`npm ci`)."""
    found = shutil.which("node")
    npm = shutil.which("npm")
    if found is None or npm is None:
        missing("Node 20+ with npm is not installed (the web front's tests need it)")
    assert found is not None and npm is not None
    if not (FRONTEND / "node_modules" / ".package-lock.json").exists():
        _run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], "npm ci")
    return found


def fresh_build() -> Path:
    """frontend/dist, built now only when a source is newer than the last build."""
    node()
    if _stale():
        npm = shutil.which("npm")
        assert npm is not None
        _run([npm, "run", "--silent", "build"], "npm run build")
    return DIST_INDEX.parent


def _stale() -> bool:
    if not DIST_INDEX.exists():
        return True
    built = DIST_INDEX.stat().st_mtime
    for name in BUILD_INPUTS:
        path = FRONTEND / name
        files = path.rglob("*") if path.is_dir() else [path]
        if any(f.is_file() and f.stat().st_mtime > built for f in files):
            return True
    return False


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(
        command, cwd=FRONTEND, capture_output=True, text=True, timeout=600, check=False
    )
    if done.returncode != 0:
        raise AssertionError(
            f"{what} failed in {FRONTEND}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )


def chromium() -> Path:
    """Debian's Chromium (playwright-core drives it; no browser is downloaded)."""
    if not CHROMIUM.exists():
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


def nginx() -> str:
    """The nginx executable."""
    found = nginx_binary()
    if found is None:
        missing("nginx is not installed (apt-get install nginx)")
    assert found is not None
    return found

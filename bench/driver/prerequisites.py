"""Node, the npm packages, wrk and the optional Grafbase CLI: found, installed, or a fix to run."""

from __future__ import annotations

import os
import shutil
import subprocess

from .scenario import FED, GRAFBASE_BIN, GRAFBASE_PACKAGE, BenchError, log


def ensure_node() -> str:
    if not shutil.which("node") or not shutil.which("npm"):
        raise BenchError("Node.js 20+ and npm are needed (Debian: apt-get install -y nodejs npm)")
    version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    if int(version.lstrip("v").split(".")[0]) < 20:
        raise BenchError(f"Node.js 20+ is needed (found {version})")
    return version


def ensure_npm_packages() -> None:
    marker = FED / "node_modules" / ".package-lock.json"
    lock = FED / "package-lock.json"
    if marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime:
        return
    log("installing the subgraph server's and peer gateways' npm packages (npm ci)")
    result = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=FED, timeout=900
    )
    if result.returncode != 0:
        raise BenchError("npm ci failed in bench/federation (see the output above)")


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        if os.geteuid() == 0 and shutil.which("apt-get"):
            log("wrk is missing: apt-get install -y wrk")
            subprocess.run(["apt-get", "update", "-qq"], timeout=600)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], timeout=600)
        if not shutil.which("wrk"):
            raise BenchError(
                "wrk (the load generator) is not installed: run `sudo apt-get install -y wrk` "
                "(Debian/Ubuntu), `brew install wrk` (macOS), or build it from its source, then "
                "run `make bench` again"
            )
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return (out.stdout + out.stderr).split("Copyright")[0].strip()


def ensure_grafbase() -> str | None:
    """Unpack the Grafbase CLI from its npm package; a reason when it cannot be had."""
    if GRAFBASE_BIN.exists():
        return None
    target = FED / "grafbase"
    log(f"fetching the optional Grafbase CLI ({GRAFBASE_PACKAGE}) with npm pack")
    try:
        packed = subprocess.run(
            ["npm", "pack", "--silent", GRAFBASE_PACKAGE],
            cwd=target,
            capture_output=True,
            text=True,
            timeout=600,
        )
        tarballs = sorted(target.glob("grafbase-cli-*.tgz"))
        if packed.returncode != 0 or not tarballs:
            why = (packed.stderr or packed.stdout).strip()[:200]
            return f"npm pack {GRAFBASE_PACKAGE} failed: {why}"
        subprocess.run(["tar", "xzf", tarballs[-1].name], cwd=target, check=True, timeout=300)
        for tarball in tarballs:
            tarball.unlink()
    except (OSError, subprocess.SubprocessError) as exc:
        return f"could not install the Grafbase CLI: {exc}"
    return None if GRAFBASE_BIN.exists() else "the Grafbase package holds no grafbase binary"

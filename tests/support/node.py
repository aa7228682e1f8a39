"""The Node reference tooling (tests/reference: @apollo/composition, @apollo/gateway) for tests.

Without Node (or the npm packages, which `npm ci` installs on first use) a test is skipped with
the reason; under `CI=true` that is a failure instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "reference"
NODE_TIMEOUT = 120


@dataclass(frozen=True)
class NodeResult:
    """What a reference script printed and how it exited."""

    returncode: int
    stdout: str
    stderr: str


def unavailable(reason: str) -> None:
    """Skip for missing tooling, or fail under CI."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Node reference tooling is required under CI=true: {reason}")
    pytest.skip(reason)


def reference_node() -> str:
    """The `node` executable, with the reference packages installed (skips when impossible)."""
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed")
    assert node is not None
    if not (REFERENCE_DIR / "node_modules" / "@apollo" / "composition").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            unavailable("npm is not installed")
        assert npm is not None
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=REFERENCE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            unavailable(f"npm ci failed in {REFERENCE_DIR}: {done.stderr.strip()[-2000:]}")
    return node


def run_script(node: str, script: str, *args: str, stdin: str | None = None) -> NodeResult:
    """Run `tests/reference/<script>` with `args`."""
    done = subprocess.run(
        [node, str(REFERENCE_DIR / script), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=NODE_TIMEOUT,
        cwd=REFERENCE_DIR,
        check=False,
    )
    return NodeResult(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class SupergraphResult:
    """What a per-supergraph reference script (load_supergraph.mjs, api_schema.mjs) made of one
    supergraph file: the API schema it printed, or the error it refused the file with."""

    schema: str | None
    error: str | None


def run_per_supergraph(script: str, paths: list[Path]) -> dict[Path, SupergraphResult]:
    """Run a per-supergraph reference script once over every file of `paths` (one Node process:
    starting Node and loading the packages costs more than reading one supergraph)."""
    done = run_script(reference_node(), script, *(str(path) for path in paths))
    assert done.returncode == 0, done.stderr
    answers: dict[str, dict[str, str]] = json.loads(done.stdout)
    return {
        path: SupergraphResult(answers[str(path)].get("schema"), answers[str(path)].get("error"))
        for path in paths
    }

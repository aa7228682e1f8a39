"""Fixtures for the schema tests, including the Node reference tooling (@apollo/composition)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from schema.compose import SubgraphSource

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reference"
NODE_TIMEOUT = 120


@dataclass(frozen=True)
class NodeResult:
    """What a reference script printed and how it exited."""

    returncode: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, list[dict[str, str]]]:
        """The JSON error report printed by compose.mjs on failure."""
        return json.loads(self.stdout)


class NodeReference:
    """Runs the scripts in tests/reference with the pinned npm packages."""

    def __init__(self, node: str) -> None:
        self.node = node

    def compose(self, subgraphs: list[SubgraphSource]) -> NodeResult:
        """Compose with @apollo/composition's composeServices."""
        payload = [{"name": s.name, "url": s.url, "sdl": s.sdl} for s in subgraphs]
        return self._run("compose.mjs", stdin=json.dumps(payload))

    def load_supergraph(self, path: Path) -> NodeResult:
        """Build an @apollo/gateway from a supergraph file."""
        return self._run("load_supergraph.mjs", str(path))

    def _run(self, script: str, *args: str, stdin: str | None = None) -> NodeResult:
        done = subprocess.run(
            [self.node, str(REFERENCE_DIR / script), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT,
            cwd=REFERENCE_DIR,
            check=False,
        )
        return NodeResult(done.returncode, done.stdout, done.stderr)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"Node reference tooling is required under CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def node_reference() -> NodeReference:
    """The Node reference tooling; `npm ci` runs once when node_modules is missing."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed")
    assert node is not None
    if not (REFERENCE_DIR / "node_modules" / "@apollo" / "composition").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("npm is not installed")
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
            _unavailable(f"npm ci failed in {REFERENCE_DIR}: {done.stderr.strip()[-2000:]}")
    return NodeReference(node)

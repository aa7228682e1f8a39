"""Fixtures for the schema tests, including the Node reference tooling (@apollo/composition)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from schema.compose import SubgraphSource
from tests.support import node as reference


@dataclass(frozen=True)
class NodeResult(reference.NodeResult):
    """What a reference script printed and how it exited."""

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

    def compose_many(self, cases: dict[str, list[SubgraphSource]]) -> dict[str, dict[str, Any]]:
        """Compose every case in one Node process: name -> {supergraphSdl} or {errors}."""
        payload = {
            name: [{"name": s.name, "url": s.url, "sdl": s.sdl} for s in subgraphs]
            for name, subgraphs in cases.items()
        }
        done = self._run("compose_many.mjs", stdin=json.dumps(payload))
        assert done.returncode == 0, done.stderr
        result: dict[str, dict[str, Any]] = json.loads(done.stdout)
        return result

    def _run(self, script: str, *args: str, stdin: str | None = None) -> NodeResult:
        done = reference.run_script(self.node, script, *args, stdin=stdin)
        return NodeResult(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def node_reference() -> NodeReference:
    """The Node reference tooling; `npm ci` runs once when node_modules is missing."""
    return NodeReference(reference.reference_node())

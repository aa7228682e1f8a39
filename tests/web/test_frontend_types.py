"""The SPA's GraphQL types are generated from the checked-in supergraph's API schema; stale
files fail here (`make frontend-types` writes them)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from devstack.processes import ROOT
from schema.cli import api_sdl
from tests.support.web import FRONTEND, node

HINT = "run `make frontend-types` and commit frontend/schema.graphql and frontend/src/gql/"


def test_api_schema_file_is_fresh() -> None:
    supergraph = (ROOT / "schema" / "supergraph.graphql").read_text()
    assert (FRONTEND / "schema.graphql").read_text() == api_sdl(supergraph), HINT


def test_generated_types_are_fresh(tmp_path: Path) -> None:
    node_path = node()
    out = tmp_path / "gql"
    done = subprocess.run(
        [node_path, "node_modules/@graphql-codegen/cli/cjs/bin.js", "--config", "codegen.ts"],
        cwd=FRONTEND,
        env={**os.environ, "CODEGEN_OUT": f"{out}/"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    committed = FRONTEND / "src" / "gql"
    generated = sorted(p.name for p in out.iterdir())
    assert sorted(p.name for p in committed.iterdir()) == generated, HINT
    for name in generated:
        assert (committed / name).read_text() == (out / name).read_text(), f"{name}: {HINT}"

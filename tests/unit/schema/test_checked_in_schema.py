"""The checked-in schema files are what `make compose` would write now; stale files fail here."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from devstack.stack import SUBGRAPHS
from schema import compose
from schema.config import load_config, read_sources
from subgraphs.kit.schema import print_sdl

ROOT = Path(__file__).resolve().parents[3]
HINT = "run `make compose` and commit schema/"


@pytest.mark.parametrize("name", [sg.name for sg in SUBGRAPHS])
def test_subgraph_sdl_file_is_fresh(name: str) -> None:
    subgraph = importlib.import_module(f"subgraphs.{name}.app").SUBGRAPH
    printed = print_sdl(subgraph.schema).rstrip("\n") + "\n"
    checked_in = (ROOT / "schema" / "subgraphs" / f"{name}.graphql").read_text()
    assert checked_in == printed, f"schema/subgraphs/{name}.graphql is stale: {HINT}"


def test_config_lists_every_subgraph_of_the_stack() -> None:
    entries = load_config(ROOT / "schema" / "subgraphs.yaml", ROOT)
    assert sorted(entry.name for entry in entries) == sorted(sg.name for sg in SUBGRAPHS)


def test_supergraph_file_is_fresh() -> None:
    entries = load_config(ROOT / "schema" / "subgraphs.yaml", ROOT)
    checked_in = (ROOT / "schema" / "supergraph.graphql").read_text()
    assert checked_in == compose(read_sources(entries)), (
        f"schema/supergraph.graphql is stale: {HINT}"
    )

"""Differential tests against @apollo/composition and @apollo/gateway (need Node)."""

from __future__ import annotations

from pathlib import Path

import pytest

from schema.compose import CompositionError, SubgraphSource, compose

from .cases import INVALID, REPO, VALID, fixture_subgraphs, project_subgraphs
from .conftest import NodeReference
from .normalize import normalize

pytestmark = pytest.mark.node

ALL_VALID: dict[str, list[SubgraphSource]] = {
    **VALID,
    "fixtures": fixture_subgraphs(),
    "project": project_subgraphs(),
}


@pytest.mark.parametrize("name", sorted(ALL_VALID))
def test_same_supergraph_as_apollo_composition(node_reference: NodeReference, name: str) -> None:
    subgraphs = ALL_VALID[name]
    reference = node_reference.compose(subgraphs)
    assert reference.returncode == 0, reference.stdout + reference.stderr
    ours = compose(subgraphs)
    assert normalize(ours) == normalize(reference.stdout)


@pytest.mark.parametrize("name", ["fixtures", "project"])
def test_byte_identical_to_apollo_composition(node_reference: NodeReference, name: str) -> None:
    reference = node_reference.compose(ALL_VALID[name])
    assert compose(ALL_VALID[name]) == reference.stdout


@pytest.mark.parametrize("name", sorted(INVALID))
def test_same_errors_as_apollo_composition(node_reference: NodeReference, name: str) -> None:
    subgraphs, _, _ = INVALID[name]
    reference = node_reference.compose(subgraphs)
    assert reference.returncode == 1
    with pytest.raises(CompositionError) as caught:
        compose(subgraphs)
    expected = [(e["code"], e["message"]) for e in reference.json()["errors"]]
    assert [(i.code, i.message) for i in caught.value.issues] == expected


@pytest.mark.parametrize("name", sorted(ALL_VALID))
def test_apollo_gateway_accepts_our_supergraph(
    node_reference: NodeReference, name: str, tmp_path: Path
) -> None:
    path = tmp_path / "supergraph.graphql"
    path.write_text(compose(ALL_VALID[name]))
    result = node_reference.load_supergraph(path)
    assert result.returncode == 0, result.stderr


def test_apollo_gateway_accepts_the_checked_in_supergraph(node_reference: NodeReference) -> None:
    result = node_reference.load_supergraph(REPO / "schema" / "supergraph.graphql")
    assert result.returncode == 0, result.stderr

"""Differential tests against @apollo/composition and @apollo/gateway (need Node).

Every case (the hand-written ones, the engine's scenario folders, the planner fixtures' sources,
the project's subgraphs) is composed by @apollo/composition once, in one Node process, and ours
must mean the same (equal after normalising order) or fail with the same codes and messages.
"""

from __future__ import annotations

from typing import Any

import pytest

from schema.compose import CompositionError, SubgraphSource, compose
from tests.support.node import SupergraphResult, run_per_supergraph

from .cases import (
    INVALID,
    REPO,
    STRICTER,
    VALID,
    fixture_subgraphs,
    project_subgraphs,
    recorded_cases,
)
from .conftest import NodeReference
from .normalize import normalize

pytestmark = pytest.mark.node

# Connectors (@connect/@source) and @context are not composed yet: see test_compose.py.
UNSUPPORTED = {"planner_join_v05"}
ALL_VALID: dict[str, list[SubgraphSource]] = {
    **VALID,
    **{name: case.subgraphs for name, case in recorded_cases().items() if name not in UNSUPPORTED},
    "fixtures": fixture_subgraphs(),
    "project": project_subgraphs(),
}
ALL_INVALID = {name: subgraphs for name, (subgraphs, _, _) in {**INVALID, **STRICTER}.items()}


@pytest.fixture(scope="module")
def reference(node_reference: NodeReference) -> dict[str, dict[str, Any]]:
    """@apollo/composition's answer for every case, keyed by case name."""
    return node_reference.compose_many({**ALL_VALID, **ALL_INVALID})


@pytest.mark.parametrize("name", sorted(ALL_VALID))
def test_same_supergraph_as_apollo_composition(
    reference: dict[str, dict[str, Any]], name: str
) -> None:
    expected = reference[name]
    assert "supergraphSdl" in expected, expected
    assert normalize(compose(ALL_VALID[name])) == normalize(expected["supergraphSdl"])


@pytest.mark.parametrize(
    "name", ["fixtures", "project", *(n for n in sorted(recorded_cases()) if n not in UNSUPPORTED)]
)
def test_byte_identical_to_apollo_composition(
    reference: dict[str, dict[str, Any]], name: str
) -> None:
    assert compose(ALL_VALID[name]) == reference[name]["supergraphSdl"]


@pytest.mark.parametrize("name", sorted(INVALID))
def test_same_errors_as_apollo_composition(reference: dict[str, dict[str, Any]], name: str) -> None:
    with pytest.raises(CompositionError) as caught:
        compose(ALL_INVALID[name])
    expected = [(e["code"], e["message"]) for e in reference[name]["errors"]]
    assert [(i.code, i.message) for i in caught.value.issues] == expected


@pytest.mark.parametrize("name", sorted(STRICTER))
def test_apollo_composition_only_hints_where_we_fail(
    reference: dict[str, dict[str, Any]], name: str
) -> None:
    assert "supergraphSdl" in reference[name]
    with pytest.raises(CompositionError):
        compose(ALL_INVALID[name])


SECURITY_SPECS = ("authenticated/v0.1", "requiresScopes/v0.1", "policy/v0.1")


@pytest.fixture(scope="module")
def apollo_gateway_loads(
    node_reference: NodeReference, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, SupergraphResult]:
    """What @apollo/gateway made of each supergraph we compose (and of the checked-in one), all
    loaded by one Node process. A case we cannot compose is left out: its own test reports it."""
    folder = tmp_path_factory.mktemp("supergraphs")
    paths = {"checked-in": REPO / "schema" / "supergraph.graphql"}
    for name, subgraphs in ALL_VALID.items():
        try:
            sdl = compose(subgraphs)
        except CompositionError:
            continue
        paths[name] = folder / f"{name}.graphql"
        paths[name].write_text(sdl)
    results = run_per_supergraph("load_supergraph.mjs", list(paths.values()))
    return {name: results[path] for name, path in paths.items()}


@pytest.mark.parametrize("name", sorted(ALL_VALID))
def test_apollo_gateway_loads_our_supergraph(
    apollo_gateway_loads: dict[str, SupergraphResult], name: str
) -> None:
    """@apollo/gateway loads every supergraph we compose, except those linking an access-control
    spec: it honours no `for: SECURITY` spec but @inaccessible, so it refuses them (as the link
    spec asks); our gateway serves them (gateway/policy/authorization/)."""
    sdl = compose(ALL_VALID[name])
    result = apollo_gateway_loads[name]
    if any(f"https://specs.apollo.dev/{spec}" in sdl for spec in SECURITY_SPECS):
        assert result.error is not None
        assert "is for: SECURITY but is unsupported" in result.error
    else:
        assert result.error is None, result.error


def test_apollo_gateway_accepts_the_checked_in_supergraph(
    apollo_gateway_loads: dict[str, SupergraphResult],
) -> None:
    loaded = apollo_gateway_loads["checked-in"]
    assert loaded.error is None, loaded.error

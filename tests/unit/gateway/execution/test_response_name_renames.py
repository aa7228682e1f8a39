"""A fetch's aliased keys (`gateway.planning.aliasing`) are renamed back before its answer is
merged, in root and entity fetches, without changing an answer the transport shares."""

from __future__ import annotations

import copy
from typing import Any

from graphql import parse

from gateway.execution import PlanExecutor
from gateway.execution.merge import rename_keys
from gateway.planning import plan_operation
from gateway.planning.nodes import KeyRename
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse
from tests.support.supergraphs import load_scenario

#: furniture's answer to `...on Table{id label__alias_0:label}`, shared between requests (not
#: `owned`): it must come out unchanged
FURNITURE = {
    "pieces": [
        {"__typename": "Chair", "id": "c1", "label": "Oak chair"},
        {"__typename": "Table", "id": "t1", "label__alias_0": None},
        {"__typename": "Table", "id": "t2", "label__alias_0": "Desk"},
        {"__typename": "Table", "id": "t2", "label__alias_0": "Desk"},
    ]
}
SKUS: dict[str, Any] = {"c1": "CH-1", "t1": None, "t2": "TB-2"}


def furniture(request: SubgraphRequest) -> SubgraphResponse:
    if "label" not in request.query:  # keys only, for the catalog's entity fetch
        keys = [{"__typename": p["__typename"], "id": p["id"]} for p in FURNITURE["pieces"]]
        return SubgraphResponse({"pieces": keys})
    assert "label__alias_0:label" in request.query
    return SubgraphResponse(FURNITURE)


def catalog(request: SubgraphRequest) -> SubgraphResponse:
    assert "sku__alias_0:sku" in request.query
    answers = []
    for representation in request.variables["representations"]:
        key = "sku" if representation["__typename"] == "Chair" else "sku__alias_0"
        answers.append({key: SKUS[representation["id"]]})
    return SubgraphResponse({"_entities": answers})


async def run(query: str) -> dict[str, Any]:
    supergraph = load_scenario("response_name_conflicts")
    handlers = {"furniture": furniture, "catalog": catalog}
    client = MockSubgraphClient(lambda request: handlers[request.subgraph](request))
    plan = plan_operation(supergraph, parse(query))
    return await PlanExecutor(supergraph, client).execute(plan)


async def test_a_root_fetch_answer_is_renamed_back_and_the_shared_answer_kept() -> None:
    before = copy.deepcopy(FURNITURE)
    response = await run("{ pieces { ... on Chair { id label } ... on Table { id label } } }")
    assert response == {
        "data": {
            "pieces": [
                {"id": "c1", "label": "Oak chair"},
                {"id": "t1", "label": None},
                {"id": "t2", "label": "Desk"},
                {"id": "t2", "label": "Desk"},
            ]
        }
    }
    assert before == FURNITURE


async def test_an_entity_answer_is_renamed_back_for_every_object_it_answers() -> None:
    response = await run("{ pieces { ... on Chair { sku } ... on Table { id sku } } }")
    assert response == {
        "data": {
            "pieces": [
                {"sku": "CH-1"},
                {"id": "t1", "sku": None},
                {"id": "t2", "sku": "TB-2"},
                {"id": "t2", "sku": "TB-2"},
            ]
        }
    }


def test_renames_walk_lists_and_nested_objects() -> None:
    data = {"a": [{"b": {"x__alias_0": 1}}, {"b": None}, None, {"b": [{"x__alias_0": 2}]}]}
    rename_keys(data, (KeyRename(("a", "b"), "x__alias_0", "x"),))
    assert data == {"a": [{"b": {"x": 1}}, {"b": None}, None, {"b": [{"x": 2}]}]}


def test_renames_apply_deepest_first_under_an_aliased_parent() -> None:
    data = {"p__alias_0": {"x__alias_1": 1}, "p": {"x": 2}}
    renames = (
        KeyRename(("p__alias_0",), "x__alias_1", "x"),
        KeyRename((), "p__alias_0", "p"),
    )
    rename_keys(data, renames)
    assert data == {"p": {"x": 2}}


def test_a_key_answered_under_both_names_keeps_the_one_there() -> None:
    data = {"x": 1, "x__alias_0": 1}
    rename_keys(data, (KeyRename((), "x__alias_0", "x"),))
    assert data == {"x": 1}


async def test_an_error_at_an_aliased_key_has_the_client_key_in_its_path() -> None:
    supergraph = load_scenario("response_name_conflicts")
    error = {"message": "label failed", "path": ["pieces", 1, "label__alias_0"]}

    def answer(request: SubgraphRequest) -> SubgraphResponse:
        return SubgraphResponse(FURNITURE, (error,))

    client = MockSubgraphClient(answer)
    query = "{ pieces { ... on Chair { id label } ... on Table { id label } } }"
    plan = plan_operation(supergraph, parse(query))
    response = await PlanExecutor(supergraph, client).execute(plan)
    assert [e["path"] for e in response["errors"]] == [["pieces", 1, "label"]]
    assert error["path"] == ["pieces", 1, "label__alias_0"]

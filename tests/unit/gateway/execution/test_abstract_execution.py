"""Executing plans over abstract types spread across graphs (fixture `abstract.graphql`): each
entity fetch gets representations of the objects of its own type only."""

from __future__ import annotations

from typing import Any

from graphql import parse

from gateway.execution import PlanExecutor
from gateway.planning import plan_operation
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse
from tests.support.supergraphs import load

BOOKS = {"b1": {"title": "Dune", "pages": 412}, "b2": {"title": "Emma", "pages": 320}}
MOVIES = {"m1": {"title": "Alien", "minutes": 117}}


def entities(request: SubgraphRequest, table: dict[str, dict[str, Any]]) -> SubgraphResponse:
    answers = []
    for representation in request.variables["representations"]:
        row = table[representation["id"]]
        answers.append({k: v for k, v in row.items() if k in request.query})
    return SubgraphResponse({"_entities": answers})


def feed(request: SubgraphRequest) -> SubgraphResponse:
    items = [
        {"__typename": "Book", "id": "b1", "title": "Dune"},
        {"__typename": "Movie", "id": "m1"},
        {"__typename": "Book", "id": "b2", "title": "Emma"},
    ]
    return SubgraphResponse({"feed": items})


async def test_entity_fetches_take_only_objects_of_their_type() -> None:
    supergraph = load("abstract.graphql")
    handlers = {
        "feed": feed,
        "books": lambda r: entities(r, BOOKS),
        "films": lambda r: entities(r, MOVIES),
    }
    client = MockSubgraphClient(lambda request: handlers[request.subgraph](request))
    query = "{ feed { __typename title ... on Book { pages } ... on Movie { minutes } } }"
    plan = plan_operation(supergraph, parse(query))
    response = await PlanExecutor(supergraph, client).execute(plan)
    sent = {r.subgraph: r.variables.get("representations") for r in client.requests}
    assert sent == {
        "feed": None,
        "books": [{"__typename": "Book", "id": "b1"}, {"__typename": "Book", "id": "b2"}],
        "films": [{"__typename": "Movie", "id": "m1"}],
    }
    assert response == {
        "data": {
            "feed": [
                {"__typename": "Book", "title": "Dune", "pages": 412},
                {"__typename": "Movie", "title": "Alien", "minutes": 117},
                {"__typename": "Book", "title": "Emma", "pages": 320},
            ]
        }
    }

"""Executing plans through an `@interfaceObject` graph (fixture `interface_object.graphql`):
representations say `"__typename": "Media"` to `ratings`, and its interface-named `__typename`
never replaces the real one."""

from __future__ import annotations

from typing import Any

from graphql import parse

from gateway.execution import PlanExecutor
from gateway.planning import plan_operation
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse
from tests.support.supergraphs import load

MEDIA: dict[str, dict[str, Any]] = {
    "b1": {"__typename": "Book", "id": "b1", "title": "Dune", "pages": 412},
    "m1": {"__typename": "Movie", "id": "m1", "title": "Alien", "minutes": 117},
}
RATINGS = {"b1": 4.5, "m1": 3.0}


def library(request: SubgraphRequest) -> SubgraphResponse:
    if "_entities" in request.query:
        # An entity interface: resolved by the interface's name and key.
        reps = request.variables["representations"]
        assert all(r["__typename"] == "Media" for r in reps)
        return SubgraphResponse({"_entities": [MEDIA[r["id"]] for r in reps]})
    return SubgraphResponse({"library": list(MEDIA.values())})


def ratings(request: SubgraphRequest) -> SubgraphResponse:
    if "_entities" in request.query:
        reps = request.variables["representations"]
        # The interface object answers with the interface's name, as a subgraph does.
        answers = [{"__typename": "Media", "rating": RATINGS[r["id"]]} for r in reps]
        return SubgraphResponse({"_entities": answers})
    items = [{"__typename": "Media", "id": i, "rating": RATINGS[i]} for i in ("m1", "b1")]
    return SubgraphResponse({"topRated": items})


async def run(query: str) -> tuple[dict[str, Any], MockSubgraphClient]:
    supergraph = load("interface_object.graphql")
    handlers = {"library": library, "ratings": ratings}
    client = MockSubgraphClient(lambda request: handlers[request.subgraph](request))
    plan = plan_operation(supergraph, parse(query))
    return await PlanExecutor(supergraph, client).execute(plan), client


async def test_implementations_are_sent_to_the_interface_object_as_the_interface() -> None:
    response, client = await run("{ library { __typename title rating } }")
    assert client.requests[1].subgraph == "ratings"
    assert client.requests[1].variables["representations"] == [
        {"__typename": "Media", "id": "b1"},
        {"__typename": "Media", "id": "m1"},
    ]
    assert response == {
        "data": {
            "library": [
                {"__typename": "Book", "title": "Dune", "rating": 4.5},
                {"__typename": "Movie", "title": "Alien", "rating": 3.0},
            ]
        }
    }


async def test_only_objects_of_the_asked_type_are_sent() -> None:
    response, client = await run("{ library { title ... on Book { rating } } }")
    assert client.requests[1].variables["representations"] == [{"__typename": "Media", "id": "b1"}]
    assert response == {"data": {"library": [{"title": "Dune", "rating": 4.5}, {"title": "Alien"}]}}


async def test_the_real_type_is_fetched_before_type_conditions_apply() -> None:
    query = "{ topRated { __typename rating ... on Book { pages } ... on Movie { minutes } } }"
    response, client = await run(query)
    assert [r.subgraph for r in client.requests] == ["ratings", "library"]
    assert client.requests[1].variables["representations"] == [
        {"__typename": "Media", "id": "m1"},
        {"__typename": "Media", "id": "b1"},
    ]
    assert response == {
        "data": {
            "topRated": [
                {"__typename": "Movie", "rating": 3.0, "minutes": 117},
                {"__typename": "Book", "rating": 4.5, "pages": 412},
            ]
        }
    }


async def test_interface_fields_of_the_interface_object_alone_are_shaped() -> None:
    response, client = await run("{ topRated { id rating } }")
    assert [r.subgraph for r in client.requests] == ["ratings"]
    assert response == {
        "data": {"topRated": [{"id": "m1", "rating": 3.0}, {"id": "b1", "rating": 4.5}]}
    }

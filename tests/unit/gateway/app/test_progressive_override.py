"""Progressive `@override` in the pipeline: `percent(N)` labels drawn per request from the
gateway's random source, each label set planned (and cached) on its own."""

from __future__ import annotations

import random

from gateway.app.params import GraphQLParams
from gateway.app.pipeline import run_graphql
from gateway.app.state import Gateway
from gateway.execution import PlanExecutor
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse
from tests.support.supergraphs import load

QUERY = '{ product(id: "1") { name price } }'


def answer(request: SubgraphRequest) -> SubgraphResponse:
    if "_entities" in request.query:
        return SubgraphResponse({"_entities": [{"price": 10}]})
    product = {"__typename": "Product", "id": "1", "name": "Chair"}
    if "price" in request.query:
        product["price"] = 10
    return SubgraphResponse({"product": product})


async def test_percent_labels_are_drawn_per_request_and_plans_cached_per_label_set() -> None:
    # override.graphql: Product.price moves from billing to catalog under "percent(25)".
    supergraph = load("override.graphql")
    mock = MockSubgraphClient(answer)
    draws = random.Random(7)
    gateway = Gateway(
        supergraph=supergraph,
        executor=PlanExecutor(supergraph, mock),
        breaker_states=dict,
        random=draws.random,
    )
    replay = random.Random(7)
    expected = [replay.random() * 100 < 25 for _ in range(20)]
    assert True in expected and False in expected  # the seed draws both ways

    for enabled in expected:
        before = len(mock.requests)
        response = await run_graphql(gateway, GraphQLParams(QUERY))
        assert response == {"data": {"product": {"name": "Chair", "price": 10}}}
        graphs = [r.subgraph for r in mock.requests[before:]]
        # Enabled: catalog resolves price itself; disabled: billing is asked for it.
        assert graphs == (["catalog"] if enabled else ["catalog", "billing"])

    assert len(gateway.plans) == 2
    assert gateway.plans.misses == 2


async def test_percent_labels_are_only_drawn_never_requested() -> None:
    supergraph = load("override.graphql")
    mock = MockSubgraphClient(answer)
    gateway = Gateway(
        supergraph=supergraph,
        executor=PlanExecutor(supergraph, mock),
        breaker_states=dict,
        random=lambda: 0.99,  # percent(25) never drawn
    )
    await run_graphql(gateway, GraphQLParams(QUERY))
    assert [r.subgraph for r in mock.requests] == ["catalog", "billing"]
    await run_graphql(gateway, GraphQLParams(QUERY), override_labels={"percent(25)"})
    assert [r.subgraph for r in mock.requests][2:] == ["catalog", "billing"]

"""Plans over the query graph with a cost (the supergraphs of the federation scenarios `detours`
and `cheapest`): detours through a third subgraph,
re-entering the parent entity for a value-type field, and the cheapest whole plan where several
subgraphs resolve a field."""

from __future__ import annotations

import logging

import pytest
from graphql import parse

from gateway.planning import PlanningError, plan_operation
from gateway.planning.graph import EdgeKind, PlanCost, Vertex, query_graph
from gateway.planning.routing import Router
from gateway.supergraph import parse_supergraph
from tests.support.supergraphs import load_scenario, scenario_supergraph
from tests.unit.gateway.planning.conftest import fetch_count, step_count


def _services(query: str, scenario: str) -> tuple[int, int, str]:
    plan = plan_operation(load_scenario(scenario), parse(query))
    return fetch_count(plan), step_count(plan), str(plan)


def test_the_query_graph_has_key_field_and_root_edges() -> None:
    graph = query_graph(load_scenario("detours"))
    assert graph is query_graph(load_scenario("detours"))  # built once per supergraph
    store = graph.edges(Vertex("Product", "store"))
    # every resolvable key of another subgraph: whether the store can select it is the
    # edge's condition, checked by the search (it cannot select warehouse's sku)
    assert {e.tail.graph for e in store if e.kind is EdgeKind.KEY} == {"catalog", "warehouse"}
    catalog = graph.edges(Vertex("Product", "catalog"))
    assert {e.tail.graph for e in catalog if e.kind is EdgeKind.KEY} == {"store", "warehouse"}
    assert graph.field_edge(Vertex("Dimensions", "warehouse"), "weight") is not None
    assert graph.field_edge(Vertex("Dimensions", "catalog"), "weight") is None
    roots = graph.edges(Vertex("Query", None))
    assert {e.tail.graph for e in roots if e.kind is EdgeKind.ROOT} == {
        "store",
        "catalog",
        "warehouse",
    }


def test_the_cheapest_key_path_goes_through_the_bridge() -> None:
    router = Router(load_scenario("detours"))
    found = router.paths.cheapest("store", "Product", ["warehouse"])
    assert found is not None
    cost, jumps = found
    assert cost == PlanCost(fetches=2, steps=2)
    assert [j.graph for j in jumps] == ["catalog", "warehouse"]
    assert router.paths.cheapest("floor", "Product", ["warehouse"]) is None


def test_plan_cost_orders_fetches_before_steps() -> None:
    assert PlanCost(2, 5) < PlanCost(3, 1)
    assert PlanCost(2, 1) < PlanCost(2, 2)


def test_a_value_type_field_reenters_the_parent_entity() -> None:
    fetches, steps, text = _services(
        '{ product(upc: "u1") { name dimensions { width weight } } }', "detours"
    )
    assert (fetches, steps) == (2, 2)
    assert 'Flatten(path: "product")' in text
    assert "dimensions {\n              weight" in text


def test_a_value_type_field_in_a_list_reenters_through_the_bridge() -> None:
    fetches, steps, _ = _services(
        "{ orders { id product { dimensions { height weight } } } }", "detours"
    )
    assert (fetches, steps) == (3, 3)


def test_the_cheaper_of_two_root_subgraphs_is_chosen() -> None:
    fetches, steps, text = _services("{ topProducts { name stock } }", "cheapest")
    assert (fetches, steps) == (2, 2)
    assert 'Fetch(service: "shop")' in text and 'Fetch(service: "atlas")' not in text


def test_fewer_steps_beat_more_local_fields() -> None:
    fetches, steps, _ = _services("{ topProducts { name color size stock } }", "cheapest")
    assert (fetches, steps) == (3, 2)


def test_an_entity_field_goes_where_the_rest_is_cheapest() -> None:
    fetches, steps, text = _services("{ reviews { body product { price stock } } }", "cheapest")
    assert (fetches, steps) == (3, 3)
    assert 'Fetch(service: "atlas")' not in text


def test_an_operation_the_planner_cannot_plan_is_logged_with_the_reason(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The detours supergraph with `Product.dimensions` taken from the warehouse: `weight` is then
    # unreachable (composition would refuse this supergraph; the planner must still say why).
    sdl = scenario_supergraph("detours").read_text()
    broken = sdl.replace(
        "dimensions: Dimensions! @join__field(graph: CATALOG) @join__field(graph: WAREHOUSE)",
        "dimensions: Dimensions! @join__field(graph: CATALOG)",
    )
    assert broken != sdl
    query = '{ product(upc: "u1") { dimensions { weight } } }'
    with (
        caplog.at_level(logging.ERROR, logger="gateway.planning.planner"),
        pytest.raises(PlanningError, match=r"Dimensions\.weight"),
    ):
        plan_operation(parse_supergraph(broken), parse(query))
    [record] = caplog.records
    assert "query planning failed: Cannot plan Dimensions.weight" in record.getMessage()
    logged = record.getMessage().split("of:\n", 1)[1]
    assert "weight" in logged
    assert "u1" not in logged  # string literals are masked: they may be passwords


def test_a_value_type_under_a_shareable_root_field_takes_a_second_root_fetch() -> None:
    fetches, steps, text = _services("{ stats { products skus totalStock } }", "detours")
    assert (fetches, steps) == (2, 1)
    assert text.count("stats {") == 2

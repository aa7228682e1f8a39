"""The optimise passes over hand-made fetch groups, and the driver that runs them to a fixpoint."""

from __future__ import annotations

from gateway.planning.fetch_group import FetchGroup
from gateway.planning.passes import PASSES, FetchGraph, optimise
from gateway.planning.selections import Field


def root(graph: str, *fields: str) -> FetchGroup:
    group = FetchGroup(graph, (), "query", is_entity=False)
    for name in fields:
        group.selections.field(Field(name))
    return group


def entity(graph: str, path: str, parents: list[FetchGroup], *fields: str) -> FetchGroup:
    group = FetchGroup(graph, tuple(path.split(".")), "query", is_entity=True)
    group.add_parents(parents)
    representation = group.requires.fragment("Product")
    representation.typename()
    representation.field(Field("upc"))
    for name in fields:
        group.entity_position("Product").field(Field(name))
    return group


def shape(graph: FetchGraph) -> list[tuple[int, str, list[str]]]:
    return [(s.level, s.graph, [".".join(p) for p in s.paths]) for s in graph.steps]


def test_a_leaf_waits_for_a_later_step_asking_the_same_and_they_share_one_fetch() -> None:
    store = root("store", "orders")
    early = entity("prices", "orders.@.product", [store], "price")
    catalog = entity("catalog", "orders.@.gift", [store], "upc")
    late = entity("prices", "orders.@.gift", [catalog], "price")
    graph = optimise(FetchGraph.from_groups([store, early, catalog, late]))
    assert shape(graph) == [
        (0, "store", [""]),
        (2, "prices", ["orders.@.product", "orders.@.gift"]),
        (1, "catalog", ["orders.@.gift"]),
    ]


def test_steps_asking_different_things_of_one_subgraph_stay_apart() -> None:
    store = root("store", "orders")
    price = entity("prices", "orders.@.product", [store], "price")
    currency = entity("prices", "orders.@.gift", [store], "currency")
    currency.requires.fragment("Product").field(Field("sku"))  # another representation
    graph = optimise(FetchGraph.from_groups([store, price, currency]))
    assert [len(s.paths) for s in graph.steps] == [1, 1, 1]


def test_a_step_that_fetches_nothing_is_dropped_and_later_steps_keep_their_level() -> None:
    store = root("store", "orders")
    stop = FetchGroup("catalog", ("orders", "@", "product"), "query", is_entity=True)
    stop.add_parents([store])
    after = entity("warehouse", "orders.@.product", [stop], "stock")
    graph = optimise(FetchGraph.from_groups([store, stop, after]))
    assert shape(graph) == [(0, "store", [""]), (2, "warehouse", ["orders.@.product"])]
    assert graph.steps[1].parents == []


def test_passes_run_round_after_round_until_one_changes_nothing() -> None:
    rounds: list[int] = []

    def changes_twice(graph: FetchGraph) -> bool:
        rounds.append(len(rounds))
        return len(rounds) <= 2

    optimise(FetchGraph([]), (*PASSES, changes_twice))
    assert rounds == [0, 1, 2]

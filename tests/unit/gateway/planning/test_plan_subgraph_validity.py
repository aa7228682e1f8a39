"""Subgraph operations valid in each subgraph's own schema (the supergraph of the federation
scenario `subgraph_validity`): `music` knows neither the interface `Item` nor the union member
`Film`; `catalog` does not know `Song`."""

from __future__ import annotations

from graphql import parse

from gateway.planning import plan_operation
from tests.support.supergraphs import load_scenario


def plan(query: str) -> str:
    return str(plan_operation(load_scenario("subgraph_validity"), parse(query)))


def test_an_interface_the_subgraph_does_not_know_becomes_its_implementations() -> None:
    text = plan("{ search { ... on Item { id } ... on Song { name } } }")
    assert "Item" not in text
    assert "... on Book {\n          id" in text


def test_a_union_member_the_subgraph_does_not_know_is_dropped() -> None:
    text = plan("{ results { ... on Song { name } ... on Book { id title } } }")
    assert "Song" not in text
    assert text.count("Fetch(") == 1


def test_members_the_subgraph_does_not_know_are_not_sent_to_it() -> None:
    text = plan("{ search { ... on Film { title } ... on Book { title soundtrack } } }")
    music = text.split('Fetch(service: "catalog")')[0]
    assert "Film" not in music

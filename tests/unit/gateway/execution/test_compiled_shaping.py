"""Shaping through the compiled per-type functions gives exactly what walking the entries gives:
the same values in the same key order, the same non-null errors, whatever the data hold."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from graphql import build_schema, parse

from gateway.execution import shaping
from gateway.execution.shaping import OperationShape
from gateway.planning.normalize import normalize_operation
from gateway.supergraph import Supergraph

QUERY = """
query($withMail: Boolean!) {
  kind: __typename
  orders {
    items {
      id status total: totalPrice
      user { __typename name email @include(if: $withMail) nickname }
    }
    pageInfo { page totalCount }
  }
  order(id: "o1") { id status user { name } }
  user(id: "u1") { id name orders { id status } }
}
"""

USER = {"__typename": "User", "id": "u1", "name": "Ada", "email": "a@x", "nickname": None}
ORDER = {"id": "o1", "status": "PENDING", "totalPrice": 9.5, "user": USER}
PAGE = {"page": 1, "totalCount": 2}

CASES: list[dict[str, Any]] = [
    # complete: every field present, in an order unlike the query's
    {
        "user": {**USER, "orders": [ORDER]},
        "order": ORDER,
        "orders": {"pageInfo": PAGE, "items": [ORDER, {**ORDER, "id": "o2"}]},
    },
    # a null in a non-null leaf: the order goes null, the list item (non-null) nulls the list
    {"orders": {"items": [ORDER, {**ORDER, "status": None}], "pageInfo": PAGE}, "order": None},
    # a nullable object that is absent, one that is not an object, a missing non-null leaf
    {
        "orders": {"items": [{**ORDER, "user": None}], "pageInfo": {"page": 1}},
        "order": {"id": "o1", "status": "PENDING", "user": "not an object"},
        "user": None,
    },
    # nothing at all: non-null root fields missing null `data`
    {},
]


def shapes(supergraph: Supergraph, variables: dict[str, Any]) -> OperationShape:
    operation = normalize_operation(parse(QUERY), None, supergraph.api_schema)
    return OperationShape(supergraph.api_schema, operation, variables)


@pytest.mark.parametrize("data", CASES)
@pytest.mark.parametrize("with_mail", [True, False])
def test_compiled_and_walked_shaping_agree(
    users_orders: Supergraph, monkeypatch: pytest.MonkeyPatch, data: dict[str, Any], with_mail: bool
) -> None:
    variables = {"withMail": with_mail}
    compiled_errors: list[dict[str, Any]] = []
    compiled = shapes(users_orders, variables).shape(
        orjson.loads(orjson.dumps(data)), compiled_errors
    )

    monkeypatch.setattr(shaping, "_compile", lambda typename, entries: None)
    walked_errors: list[dict[str, Any]] = []
    walked = shapes(users_orders, variables).shape(orjson.loads(orjson.dumps(data)), walked_errors)

    assert orjson.dumps(compiled) == orjson.dumps(walked)  # key order included
    assert compiled_errors == walked_errors


def test_the_compiled_code_holds_no_client_text(users_orders: Supergraph) -> None:
    """Aliases are the client's text: they reach the compiled function as constants only."""
    entries = (('x"); import os; ("', shaping._LEAF, (), None, "Order.id"),)
    compiled = shaping._compile("Order", entries)
    assert compiled is not None
    assert compiled(None, {'x"); import os; ("': 1}, None) == {'x"); import os; ("': 1}  # type: ignore[arg-type]


NESTED_SCHEMA = """
type Query { users: [User] }
type User { id: ID! reviews: [Review] best: Review }
type Review { id: ID! product: Product node: Node }
type Product implements Node { upc: String! name: String }
interface Node { upc: String! }
"""
NESTED_QUERY = """
{ users { id best { id } reviews { id product { upc name } node { upc } } } }
"""
REVIEW = {"id": "r1", "product": {"upc": "p1", "name": "P"}}
NODE = {"__typename": "Product", "upc": "p1"}
NESTED_CASES: list[dict[str, Any]] = [
    {"users": [{"id": "u1", "best": REVIEW, "reviews": [REVIEW, {**REVIEW, "node": NODE}]}]},
    # a null non-null leaf in a list item (the item goes null, with the item's path), in an
    # object under an item (the object goes null), in an interface object; items not objects
    {
        "users": [
            {
                "id": "u1",
                "best": {"id": None},
                "reviews": [
                    {**REVIEW, "id": None},
                    {"id": "r2", "product": {"upc": None}, "node": {**NODE, "upc": None}},
                    None,
                    "not an object",
                    {"id": "r3", "product": {"name": "absent upc"}},
                ],
            },
            {"id": None},
            {"id": "u3", "reviews": "not a list"},
        ]
    },
]


@pytest.mark.parametrize("data", NESTED_CASES)
def test_nested_objects_shaped_by_compiled_calls_agree_with_the_walk(
    monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]
) -> None:
    """Objects of a fixed type under a compiled function are shaped by calling their compiled
    function directly; an interface's, through `_Shaping.object`."""
    schema = build_schema(NESTED_SCHEMA)

    def shaped() -> tuple[bytes, list[dict[str, Any]]]:
        operation = normalize_operation(parse(NESTED_QUERY), None, schema)
        errors: list[dict[str, Any]] = []
        result = OperationShape(schema, operation, {}).shape(
            orjson.loads(orjson.dumps(data)), errors
        )
        return orjson.dumps(result), errors

    compiled = shaped()
    monkeypatch.setattr(shaping, "_compile", lambda typename, entries: None)
    assert compiled == shaped()
    assert compiled[1] or data is NESTED_CASES[0]

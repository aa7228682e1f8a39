"""Shaping by the API schema, as @apollo/gateway answers: an enum value the API schema lacks (an
`@inaccessible` value a subgraph still returns) is null, with null propagation and no error
(scenario `api_shape`); an object an `@interfaceObject` graph returned that no graph resolved to
a concrete type is null where `__typename` is asked (scenario `interface_object_unresolved`)."""

from __future__ import annotations

from typing import Any

from graphql import build_schema, parse

from gateway.execution import ResponseShaper
from gateway.planning.normalize import normalize_operation

API = build_schema(
    """
    enum Finish { OAK PINE }
    type Chair { id: ID! finish: Finish! previous: Finish finishes: [Finish]! }
    interface Media { id: ID! }
    type Book implements Media { id: ID! pages: Int }
    type Query { chairs: [Chair!]! chair: Chair rated: [Media]! top: [Media!]! }
    """
)


def shape(query: str, data: dict[str, Any]) -> tuple[dict[str, Any] | None, list[Any]]:
    errors: list[dict[str, Any]] = []
    operation = normalize_operation(parse(query), None, API)
    return ResponseShaper(API, {}, errors).shape(operation, data), errors


def test_a_value_outside_the_api_schema_in_a_nullable_field_is_null() -> None:
    data, errors = shape("{ chair { id previous } }", {"chair": {"id": "1", "previous": "SECRET"}})
    assert data == {"chair": {"id": "1", "previous": None}}
    assert errors == []


def test_a_value_outside_the_api_schema_in_a_non_null_field_nulls_the_parent() -> None:
    data, errors = shape("{ chair { id finish } }", {"chair": {"id": "1", "finish": "SECRET"}})
    assert data == {"chair": None}
    assert errors == []


def test_it_propagates_up_through_non_null_list_items() -> None:
    data, _ = shape("{ chairs { finish } }", {"chairs": [{"finish": "OAK"}, {"finish": "SECRET"}]})
    assert data is None


def test_only_the_unknown_item_of_a_list_is_null() -> None:
    data, _ = shape("{ chair { finishes } }", {"chair": {"finishes": ["OAK", "SECRET", "PINE", 3]}})
    assert data == {"chair": {"finishes": ["OAK", None, "PINE", None]}}


def test_known_values_pass_unchanged() -> None:
    data, errors = shape(
        "{ chair { finish previous finishes } }",
        {"chair": {"finish": "PINE", "previous": None, "finishes": ["OAK"]}},
    )
    assert data == {"chair": {"finish": "PINE", "previous": None, "finishes": ["OAK"]}}
    assert errors == []


def test_an_object_without_a_concrete_type_is_null_where_its_typename_is_asked() -> None:
    rated = [{"__typename": "Book", "id": "b1"}, {"__typename": "Media", "id": "gone"}]
    data, errors = shape("{ rated { __typename id } }", {"rated": rated})
    assert data == {"rated": [{"__typename": "Book", "id": "b1"}, None]}
    assert errors == []
    data, _ = shape("{ top { __typename id } }", {"top": rated})
    assert data is None


def test_without_typename_its_own_fields_are_answered() -> None:
    rated = [{"__typename": "Media", "id": "gone"}]
    data, _ = shape("{ rated { id ... on Book { pages } } }", {"rated": rated})
    assert data == {"rated": [{"id": "gone"}]}

"""Selections authorization took out are answered by shaping: null and one error each, with the
null propagation every other null gets; errors of removals come first, and go with an object
that is null for another reason (it would have been null without them)."""

from __future__ import annotations

from typing import Any

from graphql import build_schema, parse

from gateway.execution import Removal, Removals
from gateway.execution.shaping import OperationShape
from gateway.planning import normalize_operation

SCHEMA = build_schema(
    """
    type Query { user: User  users: [User!]  team: Team! }
    type User { id: ID!  name: String  email: String  ssn: String! }
    type Team { name: String  lead: User! }
    """
)


def removed(*parent: str, stand_in: str, key: str | None = None, non_null: bool = False) -> Removal:
    return Removal(parent, stand_in, key, non_null, "Unauthorized", "DENIED")


def denied(*path: str | int) -> dict[str, Any]:
    return {"message": "Unauthorized", "path": list(path), "extensions": {"code": "DENIED"}}


def shape(
    query: str, data: dict[str, Any], *removals: Removal
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """`query` is the planned operation: removed fields are `__typename` stand-ins already."""
    operation = normalize_operation(parse(query), None, SCHEMA)
    errors: list[dict[str, Any]] = []
    answer = OperationShape(SCHEMA, operation, {}, Removals.of(removals)).shape(data, errors)
    return answer, errors


def test_a_removed_field_is_null_with_its_error_in_place() -> None:
    data = {"user": {"id": "u1", "email": "User", "name": "Ada"}}
    answer, errors = shape(
        "{ user { id email: __typename name } }",
        data,
        removed("user", stand_in="email", key="email"),
    )
    assert answer == {"user": {"id": "u1", "email": None, "name": "Ada"}}
    assert list(answer["user"]) == ["id", "email", "name"]
    assert errors == [denied("user", "email")]


def test_a_removed_non_null_field_nulls_the_parent_and_the_rest_is_still_reported() -> None:
    data = {
        "users": [
            {"ssn": "User", "email": "User"},
            {"ssn": "User", "email": "User"},
        ]
    }
    answer, errors = shape(
        "{ users { ssn: __typename email: __typename } }",
        data,
        removed("users", stand_in="ssn", key="ssn", non_null=True),
        removed("users", stand_in="email", key="email"),
    )
    # [User!]: a null item nulls the (nullable) list, after every item was looked at.
    assert answer == {"users": None}
    assert errors == [
        denied("users", 0, "ssn"),
        denied("users", 0, "email"),
        denied("users", 1, "ssn"),
        denied("users", 1, "email"),
    ]


def test_the_errors_of_an_object_come_before_those_under_it_and_before_other_errors() -> None:
    data = {"team": {"lead": {"id": "u1", "email": "User"}, "name": "Team"}, "user": None}
    answer, errors = shape(
        "{ team { lead { id email: __typename } name: __typename } user { id } }",
        data,
        removed("team", "lead", stand_in="email", key="email"),
        removed("team", stand_in="name", key="name"),
    )
    assert answer == {"team": {"lead": {"id": "u1", "email": None}, "name": None}, "user": None}
    assert errors == [denied("team", "name"), denied("team", "lead", "email")]


def test_an_object_null_for_another_reason_takes_its_removals_errors_with_it() -> None:
    # ssn is non-null and missing from the answer: the user is null whatever was removed.
    data = {"user": {"email": "User", "id": "u1", "ssn": None}}
    answer, errors = shape(
        "{ user { email: __typename id ssn } }",
        data,
        removed("user", stand_in="email", key="email"),
    )
    assert answer == {"user": None}
    assert errors == [
        {"message": "Cannot return null for non-nullable field User.ssn.", "path": ["user", "ssn"]}
    ]


def test_a_list_null_for_another_reason_takes_its_items_removals_errors_with_it() -> None:
    data = {"users": [{"email": "User", "id": "u1"}, {"email": "User", "id": None}]}
    answer, errors = shape(
        "{ users { email: __typename id } }", data, removed("users", stand_in="email", key="email")
    )
    assert answer == {"users": None}
    assert [e["path"] for e in errors] == [["users", 1, "id"]]


def test_a_non_null_removal_at_the_root_nulls_data() -> None:
    answer, errors = shape(
        "{ team: __typename user { id } }",
        {"team": "Query", "user": {"id": "u1"}},
        removed(stand_in="team", key="team", non_null=True),
    )
    assert answer is None
    assert errors == [denied("team")]


def test_a_marker_gives_its_object_the_error_and_no_key() -> None:
    answer, errors = shape(
        "{ user { id ... on User { User_unauthorized: __typename } } }",
        {"user": {"id": "u1", "User_unauthorized": "User"}},
        removed("user", stand_in="User_unauthorized"),
    )
    assert answer == {"user": {"id": "u1"}}
    assert errors == [denied("user")]


def test_without_removals_nothing_changes() -> None:
    data = {"user": {"id": "u1", "email": "User"}}
    operation = normalize_operation(parse("{ user { id email: __typename } }"), None, SCHEMA)
    errors: list[dict[str, Any]] = []
    assert OperationShape(SCHEMA, operation, {}).shape(data, errors) == {
        "user": {"id": "u1", "email": "User"}
    }
    assert errors == []

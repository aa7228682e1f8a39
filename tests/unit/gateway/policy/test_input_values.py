"""Errors about variables and literals say what is wrong and where, never the value sent."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, build_schema, parse
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.policy.errors import BAD_USER_INPUT, PolicyError
from gateway.policy.input_values import coerce_variables
from gateway.policy.validation import validate_document

SCHEMA = build_schema(
    """
    enum Role { USER ADMIN }
    input LoginInput { login: String! password: String! }
    input ItemInput { productId: ID! quantity: Int! }
    input OrderInput { items: [ItemInput!]! note: String role: Role }
    input PickOne @oneOf { a: Int b: String }
    type Query { me: String count(limit: Int, role: Role): Int pick(by: PickOne): Int }
    type Mutation { login(input: LoginInput!): String order(input: OrderInput!): String }
    """
)
LOGIN = "mutation($i: LoginInput!) { login(input: $i) }"
ORDER = "mutation($o: OrderInput!) { order(input: $o) }"
SECRET = "hunter2-correct-horse"


def refusal(query: str, variables: dict[str, Any]) -> list[str]:
    operation = parse(query).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    with pytest.raises(PolicyError) as refused:
        coerce_variables(SCHEMA, operation, variables)
    assert (refused.value.status, refused.value.code) == (400, BAD_USER_INPUT)
    return [error["message"] for error in refused.value.errors]


def test_valid_variables_are_coerced() -> None:
    operation = parse(ORDER).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    value = {"items": [{"productId": 5, "quantity": 2}], "role": "ADMIN"}
    coerced = coerce_variables(SCHEMA, operation, {"o": value})
    assert coerced == {"o": {"items": [{"productId": "5", "quantity": 2}], "role": "ADMIN"}}


GOOD = {"login": "ada", "password": "pw"}


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"i": {**GOOD, "password": 12345}}, "at 'i.password': must be a value of type 'String!'"),
        ({"i": {"login": "ada"}}, "misses the required field 'password' of 'LoginInput!'"),
        ({"i": {**GOOD, "password": None}}, "at 'i.password': must not be null (type 'String!')"),
        (
            {"i": {**GOOD, "pasword": SECRET}},
            "has the field 'pasword', which 'LoginInput!' does not define",
        ),
        ({"i": {**GOOD, "not a name": SECRET}}, "has a field that 'LoginInput!' does not define"),
        ({"i": SECRET}, "must be an object of type 'LoginInput!'"),
        ({}, "Variable '$i' of type 'LoginInput!' was not provided."),
    ],
)
def test_login_variables_are_refused_without_their_values(
    variables: dict[str, Any], message: str
) -> None:
    messages = refusal(LOGIN, variables)
    assert any(message in m for m in messages), messages
    assert not any(SECRET in m or "12345" in m for m in messages)


def test_paths_go_into_lists_and_enums_are_named_not_quoted() -> None:
    messages = refusal(
        ORDER, {"o": {"items": [{"productId": "1", "quantity": "many"}], "role": SECRET}}
    )
    quantity = "at 'o.items[0].quantity': must be a value of type 'Int!'."
    assert f"Variable '$o' has an invalid value {quantity}" in messages
    assert (
        "Variable '$o' has an invalid value at 'o.role': must be a value of type 'Role'."
        in messages
    )
    assert not any(SECRET in m or "many" in m for m in messages)


def test_one_of_inputs_say_so() -> None:
    (message,) = refusal("query($p: PickOne) { pick(by: $p) }", {"p": {"a": 1, "b": SECRET}})
    assert "must set exactly one field of 'PickOne'" in message and SECRET not in message


def test_a_literal_of_the_wrong_type_is_not_repeated() -> None:
    errors = validate_document(SCHEMA, parse('{ count(limit: "hunter2", role: hunter3) }'), 1000)
    messages = [error.message for error in errors]
    assert messages == [
        "Invalid value: must be a value of type 'Int'.",
        "Invalid value: must be a value of type 'Role'.",
    ]
    literal = 'mutation { login(input: {login: "a", password: 123456, extra: "hunter2"}) }'
    messages = [error.message for error in validate_document(SCHEMA, parse(literal), 1000)]
    assert "Invalid value at 'password': must be a value of type 'String!'." in messages
    assert "Invalid value: has the field 'extra', which 'LoginInput!' does not define." in messages
    assert not any("123456" in m or "hunter2" in m for m in messages)


#: what the messages may say whatever the value: a value inside it could not be told apart
VOCABULARY = (
    "Variable '$i' has an invalid value at 'i.password': must be a value of type 'String!'; "
    "misses the required field 'login' of 'LoginInput!'; must not be null; must be an object of "
    "type; has the field 'extra', which does not define; a field that"
)
scalars = st.one_of(
    st.text(min_size=6, max_size=30).filter(lambda s: s not in VOCABULARY and len(set(s)) > 3),
    st.integers(min_value=100_000),
    st.floats(min_value=1000.5, max_value=1e9),
    st.lists(st.text(min_size=6, max_size=12), min_size=1, max_size=2),
)


@settings(max_examples=80, deadline=None)
@given(value=scalars, where=st.sampled_from(["login", "password", "extra", "whole"]))
def test_no_refused_variable_value_is_ever_repeated(value: Any, where: str) -> None:
    good = {"login": "ada", "password": "pw"}
    variables = {"i": value} if where == "whole" else {"i": {**good, where: value}}
    operation = parse(LOGIN).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    try:
        coerce_variables(SCHEMA, operation, variables)
    except PolicyError as exc:
        text = str(exc.errors)
        pieces = value if isinstance(value, list) else [value]
        assert not any(str(piece) in text for piece in pieces), text

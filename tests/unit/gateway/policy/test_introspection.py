"""The introspection switch: `__schema`/`__type` anywhere refused when off; `__typename` kept."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, get_introspection_query, parse

from gateway.policy.errors import PolicyError
from gateway.policy.introspection import check_introspection
from gateway.policy.limits import operation_shape


def introspects(query: str) -> bool:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    return operation_shape(document, operation).introspects


@pytest.mark.parametrize(
    "query",
    [
        get_introspection_query(),
        '{ __type(name: "User") { name } }',
        "{ a { ...F } } fragment F on T { b { ... on U { __schema { types { name } } } } }",
    ],
)
def test_introspection_is_found(query: str) -> None:
    assert introspects(query)


def test_typename_and_fragment_cycles_are_not_introspection() -> None:
    assert not introspects("{ __typename a { ...F } } fragment F on T { __typename ...F }")


def test_introspection_is_refused_when_off() -> None:
    check_introspection(True, allowed=True)
    check_introspection(False, allowed=False)
    with pytest.raises(PolicyError) as refused:
        check_introspection(True, allowed=False)
    assert (refused.value.status, refused.value.code) == (400, "INTROSPECTION_DISABLED")

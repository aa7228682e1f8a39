"""Idempotency keys: what a key may be, and what makes two requests the same."""

from __future__ import annotations

import pytest

from common.errors import FieldProblem
from subgraphs.kit.idempotency import KeyedRequest, clean_idempotency_key
from subgraphs.kit.identity import USER, Identity

ADA = Identity(subject="user:1", user_id=1, roles=frozenset({USER}))


@pytest.mark.parametrize(
    "key", ["k", "5f2b1c9e-2a52-4c1e-9a57-0d6f0c3b9d11", "!~" * 127, "x" * 255]
)
def test_printable_ascii_keys_up_to_255_characters_are_taken_as_given(key: str) -> None:
    assert clean_idempotency_key(key) == key


@pytest.mark.parametrize("key", ["", " ", " k", "k\t", "x" * 256, "caf\u00e9", "\x00", "a b"])
def test_other_keys_are_a_problem_naming_the_field(key: str) -> None:
    problem = clean_idempotency_key(key)

    assert isinstance(problem, FieldProblem)
    assert problem.field == "idempotencyKey" and "UUID" in problem.message


def test_no_key_is_no_keyed_request() -> None:
    assert clean_idempotency_key(None) is None
    assert KeyedRequest.of(ADA, None, "createOrder", {"a": 1}) is None


def test_the_fingerprint_is_of_the_operation_and_its_arguments_in_any_order() -> None:
    one = KeyedRequest.of(ADA, "k", "createOrder", {"a": 1, "b": [1, 2]})
    same = KeyedRequest.of(ADA, "k", "createOrder", {"b": [1, 2], "a": 1})
    other = KeyedRequest.of(ADA, "k", "createOrder", {"a": 2, "b": [1, 2]})
    elsewhere = KeyedRequest.of(ADA, "k", "createPayment", {"a": 1, "b": [1, 2]})

    assert one is not None and same is not None and other is not None and elsewhere is not None
    assert one.fingerprint == same.fingerprint
    assert len({one.fingerprint, other.fingerprint, elsewhere.fingerprint}) == 3
    assert (one.caller, one.key, one.operation) == ("user:1", "k", "createOrder")

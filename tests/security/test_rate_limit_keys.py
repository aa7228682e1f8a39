"""Issue 12, finding 8: renaming the operation or changing its whitespace gave every request a fresh
bucket (640 of 640 admitted, against about half for a fixed one). Buckets are now per client
first (whatever it sends) and per operation second, the operation named by its tokens without
names, comments or layout.

The gateway here has limits small enough to count (no refill during a test): 5 requests per
operation, 8 per client; each test is a client of its own (`X-Forwarded-For`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.conftest import gateway_in_front
from tests.support.stack import AUTH_ENV, RunningStack

OPERATION_BURST = 5
CLIENT_BURST = 8


@pytest.fixture(scope="module")
def limited(target: RunningStack) -> Iterator[RunningStack]:
    """A gateway in front of `target`'s subgraphs with small limits that never refill in time."""
    env = {
        **AUTH_ENV,
        "GATEWAY_TRUST_FORWARDED_FOR": "true",
        "GATEWAY_RATE_LIMIT": "0.001",
        "GATEWAY_RATE_BURST": str(OPERATION_BURST),
        "GATEWAY_CLIENT_RATE_LIMIT": "0.001",
        "GATEWAY_CLIENT_RATE_BURST": str(CLIENT_BURST),
    }
    with gateway_in_front(target, "limited", env) as gateway:
        yield gateway


def fresh_client() -> str:
    """An address no other test or example uses."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


def statuses(gateway: RunningStack, bodies: list[dict[str, str]]) -> list[int]:
    client = fresh_client()
    with httpx.Client(timeout=30) as http:
        return [
            http.post(
                f"{gateway.gateway_url}/graphql", json=body, headers={"X-Forwarded-For": client}
            ).status_code
            for body in bodies
        ]


def test_renamed_and_reformatted_operations_share_one_bucket(limited: RunningStack) -> None:
    bodies = [
        {"query": f"query Op{i} {{ __typename }}", "operationName": f"Op{i}"}
        if i % 3 == 0
        else {"query": "{" + " " * i + "__typename" + "\n" * i + "}"}
        if i % 3 == 1
        else {"query": f"# request {i}\nquery {{ __typename , }}"}
        for i in range(8)
    ]
    assert statuses(limited, bodies) == [200] * OPERATION_BURST + [429] * 3


def test_different_operations_are_bounded_per_client(limited: RunningStack) -> None:
    # Aliases make each document another operation: the client's own bucket still holds.
    bodies = [{"query": f"{{ a{i}: __typename }}"} for i in range(CLIENT_BURST + 3)]
    assert statuses(limited, bodies) == [200] * CLIENT_BURST + [429] * 3


def test_a_refusal_names_its_code_and_when_to_come_back(limited: RunningStack) -> None:
    client = fresh_client()
    with httpx.Client(timeout=30) as http:
        for _ in range(OPERATION_BURST + 1):
            answer = http.post(
                f"{limited.gateway_url}/graphql",
                json={"query": "{ __typename }"},
                headers={"X-Forwarded-For": client},
            )
    assert answer.status_code == 429
    assert answer.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert int(answer.headers["Retry-After"]) >= 1


ignored = st.sampled_from([" ", "\n", "\t", ",", "  ", "\r\n", " # note\n"])
names = st.from_regex(r"\A[_A-Za-z][_0-9A-Za-z]{0,10}\Z")


@st.composite
def variant(draw: st.DrawFn) -> dict[str, str]:
    """`query <Name> { products { items { id } } }` with any name and ignored characters."""
    name = draw(st.none() | names)
    tokens = ["{", "products", "{", "items", "{", "id", "}", "}", "}"]
    if name is not None:
        tokens = ["query", name, *tokens]
    text = "".join(token + draw(ignored) for token in tokens)
    return {"query": text, **({"operationName": name} if name else {})}


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(bodies=st.lists(variant(), min_size=OPERATION_BURST + 2, max_size=OPERATION_BURST + 2))
def test_any_whitespace_or_name_variant_shares_the_bucket(
    limited: RunningStack, bodies: list[dict[str, str]]
) -> None:
    assert statuses(limited, bodies) == [200] * OPERATION_BURST + [429] * 2

"""Coalescing identical requests in flight (gateway/app/coalesce.py): the coalescer alone, its
key, and the app's pipeline with it over an in-memory subgraph client. No clock: concurrency is
arranged with events, never with sleeps."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest

from common.auth import INTERNAL_TOKEN_HEADER, AuthSettings, Identity, issue_token
from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.app.coalesce import COALESCED, Coalescer, SharedAnswer, canonical_json, coalesce_key
from gateway.app.responses import json_response
from gateway.supergraph import Supergraph
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse

PLAN, OTHER_PLAN = object(), object()
ADA = Identity(subject="ada", user_id=1, roles=frozenset({"customer"}))
BOB = Identity(subject="bob", user_id=2, roles=frozenset({"customer"}))


class Gate:
    """An execution that waits until released, counting how often it was started."""

    def __init__(self, answer: Any = "answer") -> None:
        self.started = 0
        self.release = asyncio.Event()
        self.answer = answer

    async def produce(self) -> Any:
        self.started += 1
        await self.release.wait()
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def joined() -> int:
    """Requests that joined an identical one in flight, in this process so far."""
    return int(COALESCED._value.get())


async def until(condition: Callable[[], bool]) -> None:
    """Turn the loop until `condition` holds (no time passes; a bounded number of turns)."""
    for _ in range(10_000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the requests never got in flight together")


async def settle() -> None:
    """Let every task that can run, run (a few turns of the loop, no time passing)."""
    for _ in range(5):
        await asyncio.sleep(0)


async def callers(
    coalescer: Coalescer[Any], gate: Gate, count: int = 2
) -> list[asyncio.Future[Any]]:
    """`count` identical calls to the same execution, all in flight when it returns."""
    calls = [asyncio.ensure_future(coalescer.run("k", gate.produce)) for _ in range(count)]
    await settle()
    return calls


async def test_identical_calls_in_flight_share_one_execution() -> None:
    joined: list[int] = []
    coalescer: Coalescer[Any] = Coalescer(lambda: joined.append(1))
    gate = Gate({"data": {"a": 1}})
    first, second = await callers(coalescer, gate)
    assert coalescer.in_flight == 1
    gate.release.set()
    assert await first == await second == {"data": {"a": 1}}
    assert gate.started == 1
    assert joined == [1]
    assert coalescer.in_flight == 0, "nothing is kept once answered"


async def test_different_keys_never_share() -> None:
    coalescer: Coalescer[Any] = Coalescer()
    one, two = Gate("one"), Gate("two")
    first = asyncio.ensure_future(coalescer.run("a", one.produce))
    second = asyncio.ensure_future(coalescer.run("b", two.produce))
    await settle()
    one.release.set()
    two.release.set()
    assert (await first, await second) == ("one", "two")
    assert (one.started, two.started) == (1, 1)


async def test_a_call_after_the_answer_runs_again() -> None:
    coalescer: Coalescer[Any] = Coalescer()
    gate = Gate()
    gate.release.set()
    assert await coalescer.run("k", gate.produce) == "answer"
    assert await coalescer.run("k", gate.produce) == "answer"
    assert gate.started == 2


async def test_a_failure_reaches_every_caller() -> None:
    coalescer: Coalescer[Any] = Coalescer()
    gate = Gate(RuntimeError("subgraph exploded"))
    first, second = await callers(coalescer, gate)
    gate.release.set()
    for call in (first, second):
        with pytest.raises(RuntimeError, match="subgraph exploded"):
            await call
    assert gate.started == 1
    assert coalescer.in_flight == 0


async def test_a_caller_that_leaves_does_not_cancel_the_others() -> None:
    coalescer: Coalescer[Any] = Coalescer()
    gate = Gate()
    first, second = await callers(coalescer, gate)
    first.cancel()  # its client disconnected
    await settle()
    gate.release.set()
    assert await second == "answer"
    assert first.cancelled()


def test_the_key_differs_by_everything_that_can_change_the_answer() -> None:
    base = coalesce_key(PLAN, None, {"id": 1}, {"x-internal-token": "t1"}, ADA)
    assert base == coalesce_key(PLAN, None, {"id": 1}, {"x-internal-token": "t1"}, ADA)
    different = [
        coalesce_key(OTHER_PLAN, None, {"id": 1}, {"x-internal-token": "t1"}, ADA),
        coalesce_key(PLAN, object(), {"id": 1}, {"x-internal-token": "t1"}, ADA),
        coalesce_key(PLAN, None, {"id": 2}, {"x-internal-token": "t1"}, ADA),
        coalesce_key(PLAN, None, {"id": 1.0}, {"x-internal-token": "t1"}, ADA),
        coalesce_key(PLAN, None, {"id": "1"}, {"x-internal-token": "t1"}, ADA),
        coalesce_key(PLAN, None, {}, {"x-internal-token": "t1"}, ADA),
        coalesce_key(PLAN, None, {"id": 1}, {"x-internal-token": "t2"}, ADA),
        coalesce_key(PLAN, None, {"id": 1}, {"x-internal-token": "t1", "x-tenant": "a"}, ADA),
        coalesce_key(PLAN, None, {"id": 1}, {"x-internal-token": "t1"}, BOB),
        coalesce_key(PLAN, None, {"id": 1}, {"x-internal-token": "t1"}, None),
        coalesce_key(
            PLAN,
            None,
            {"id": 1},
            {"x-internal-token": "t1"},
            Identity(subject="ada", user_id=1, roles=frozenset({"customer", "admin"})),
        ),
    ]
    assert all(key != base for key in different)
    assert len(set(different)) == len(different)


def test_variables_compare_whatever_their_key_order() -> None:
    assert canonical_json({"a": 1, "b": {"y": 2, "x": 1}}) == canonical_json(
        {"b": {"x": 1, "y": 2}, "a": 1}
    )
    big = 2**70  # beyond orjson: Python's json takes it
    assert canonical_json({"n": big}) != canonical_json({"n": big + 1})


# The app's pipeline with coalescing, over an in-memory subgraph client whose answers wait for
# a gate: every request is in flight at once before any answer comes back.

ORDERS = "{ orders { items { id user { name } } } }"


class HeldSubgraphs:
    """Answers like `test_gateway_app.answer`, once `release` is set."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    async def __call__(self, request: SubgraphRequest) -> SubgraphResponse:
        await self.release.wait()
        if request.subgraph == "users":
            return SubgraphResponse({"_entities": [{"name": "Ada"}]})
        if "confirmOrder" in request.query:
            return SubgraphResponse({"confirmOrder": {"id": "o1"}})
        user = {"__typename": "User", "id": "u1"}
        return SubgraphResponse({"orders": {"items": [{"id": "o1", "user": user}]}})


async def concurrently(
    supergraph: Supergraph, bodies: list[tuple[dict[str, Any], dict[str, str]]], **settings: Any
) -> tuple[list[httpx.Response], MockSubgraphClient]:
    """POST every body at once; answer the subgraphs once all of them are in flight."""
    held = HeldSubgraphs()
    mock = MockSubgraphClient(held)
    start = joined()
    app = create_app(GatewaySettings(**settings), supergraph=supergraph, client=mock, environ={})
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        calls = [
            asyncio.ensure_future(client.post("/graphql", json=body, headers=headers))
            for body, headers in bodies
        ]
        # In flight: each request has either sent its first fetch or joined one that has.
        await until(lambda: len(mock.requests) + joined() - start == len(bodies))
        await settle()
        held.release.set()
        responses = list(await asyncio.gather(*calls))
    return responses, mock


def bearer(subject: str, *roles: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(subject, list(roles), AuthSettings())}"}


EXPECTED = {"data": {"orders": {"items": [{"id": "o1", "user": {"name": "Ada"}}]}}}


async def test_identical_queries_of_one_caller_make_one_set_of_fetches(
    users_orders: Supergraph,
) -> None:
    ada = bearer("ada", "user")
    responses, mock = await concurrently(users_orders, [({"query": ORDERS}, ada)] * 3)
    assert [r.json() for r in responses] == [EXPECTED] * 3
    assert sorted(r.subgraph for r in mock.requests) == ["orders", "users"]


async def test_two_identities_never_share(users_orders: Supergraph) -> None:
    bodies = [
        ({"query": ORDERS}, bearer("ada", "user")),
        ({"query": ORDERS}, bearer("bob", "user")),
    ]
    responses, mock = await concurrently(users_orders, bodies)
    assert [r.json() for r in responses] == [EXPECTED] * 2
    assert sorted(r.subgraph for r in mock.requests) == ["orders", "orders", "users", "users"]
    tokens = {r.headers[INTERNAL_TOKEN_HEADER] for r in mock.requests}
    assert len(tokens) == 2, "each identity's fetches carry its own token"


async def test_different_variables_never_share(users_orders: Supergraph) -> None:
    query = "query($n: Int!) { orders(pageSize: $n) { items { id } } }"
    ada = bearer("ada", "user")
    bodies = [({"query": query, "variables": {"n": n}}, ada) for n in (1, 2)]
    _, mock = await concurrently(users_orders, bodies)
    assert [r.subgraph for r in mock.requests] == ["orders", "orders"]


async def test_mutations_always_run_once_per_request(users_orders: Supergraph) -> None:
    mutation = {"query": 'mutation { confirmOrder(id: "o1") { id } }'}
    _, mock = await concurrently(users_orders, [(mutation, bearer("ada", "user"))] * 2)
    assert [r.subgraph for r in mock.requests] == ["orders", "orders"]


async def test_switched_off_every_request_runs(users_orders: Supergraph) -> None:
    ada = bearer("ada", "user")
    responses, mock = await concurrently(
        users_orders, [({"query": ORDERS}, ada)] * 2, coalesce_requests=False
    )
    assert [r.json() for r in responses] == [EXPECTED] * 2
    assert len(mock.requests) == 4


def test_a_shared_answer_is_written_once() -> None:
    answer = SharedAnswer({"data": {"a": [1, 2]}, "errors": [{"message": "m"}]})
    first = answer.json_bytes()
    assert first == orjson.dumps({"data": {"a": [1, 2]}, "errors": [{"message": "m"}]})
    assert answer.json_bytes() is first
    assert json_response(answer).body == first


async def test_the_first_caller_runs_the_execution_in_its_own_task() -> None:
    """No task per query: the common query, joined by none, costs no turn of the loop more."""
    coalescer: Coalescer[Any] = Coalescer()
    caller = asyncio.current_task()

    async def produce() -> Any:
        return asyncio.current_task() is caller

    assert await coalescer.run("k", produce) is True
    assert coalescer.in_flight == 0


async def test_when_the_first_caller_leaves_a_waiting_one_runs_it_again() -> None:
    coalescer: Coalescer[Any] = Coalescer()
    gate = Gate()
    first, second, third = await callers(coalescer, gate, 3)
    first.cancel()
    await settle()
    gate.release.set()
    assert (await second, await third) == ("answer", "answer")
    assert gate.started == 2, "run once more, for both of those waiting"
    assert coalescer.in_flight == 0

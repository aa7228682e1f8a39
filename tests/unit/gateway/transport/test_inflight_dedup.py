"""In-flight de-duplication of identical queries, never of mutations."""

from __future__ import annotations

import asyncio

from gateway.transport import (
    DeduplicatingClient,
    MockSubgraphClient,
    SubgraphRequest,
    SubgraphResponse,
    SubgraphUnavailable,
)


def gated_client() -> tuple[MockSubgraphClient, asyncio.Event]:
    gate = asyncio.Event()

    async def handler(request: SubgraphRequest) -> SubgraphResponse:
        await gate.wait()
        return SubgraphResponse({"n": len(inner.requests)})

    inner = MockSubgraphClient(handler)
    return inner, gate


async def run_together(
    client: DeduplicatingClient, gate: asyncio.Event, *requests: SubgraphRequest
) -> list[SubgraphResponse]:
    tasks = [asyncio.ensure_future(client.execute(r)) for r in requests]
    await asyncio.sleep(0)
    gate.set()
    return list(await asyncio.gather(*tasks))


async def test_identical_concurrent_queries_share_one_request() -> None:
    inner, gate = gated_client()
    client = DeduplicatingClient(inner)
    request = SubgraphRequest("users", "{me{id}}", {"a": 1})
    responses = await run_together(client, gate, request, request, request)
    assert len(inner.requests) == 1
    assert responses[0] is responses[1] is responses[2]


async def test_different_auth_or_body_are_not_shared() -> None:
    inner, gate = gated_client()
    client = DeduplicatingClient(inner)
    await run_together(
        client,
        gate,
        SubgraphRequest("users", "{me{id}}", headers={"authorization": "a"}),
        SubgraphRequest("users", "{me{id}}", headers={"authorization": "b"}),
        SubgraphRequest("users", "{me{name}}", headers={"authorization": "a"}),
    )
    assert len(inner.requests) == 3


async def test_mutations_are_never_shared() -> None:
    inner, gate = gated_client()
    client = DeduplicatingClient(inner)
    request = SubgraphRequest("users", "mutation{go}", is_mutation=True)
    await run_together(client, gate, request, request)
    assert len(inner.requests) == 2


async def test_later_identical_requests_are_sent_again() -> None:
    inner = MockSubgraphClient(lambda r: SubgraphResponse({"ok": True}))
    client = DeduplicatingClient(inner)
    request = SubgraphRequest("users", "{me{id}}")
    await client.execute(request)
    await client.execute(request)
    assert len(inner.requests) == 2


async def test_of_callers_sharing_an_owned_response_only_one_owns_it() -> None:
    gate = asyncio.Event()

    async def handler(request: SubgraphRequest) -> SubgraphResponse:
        await gate.wait()
        return SubgraphResponse({"me": {"id": "1"}}, owned=True)

    client = DeduplicatingClient(MockSubgraphClient(handler))
    request = SubgraphRequest("users", "{me{id}}")
    responses = await run_together(client, gate, request, request, request)
    assert sorted(r.owned for r in responses) == [False, False, True]
    assert all(r.data is responses[0].data for r in responses)


async def test_a_failure_reaches_every_caller_sharing_the_request() -> None:
    gate = asyncio.Event()

    async def handler(request: SubgraphRequest) -> SubgraphResponse:
        await gate.wait()
        raise SubgraphUnavailable("users", "HTTP 503")

    client = DeduplicatingClient(MockSubgraphClient(handler))
    request = SubgraphRequest("users", "{me{id}}")
    tasks = [asyncio.ensure_future(client.execute(request)) for _ in range(3)]
    await asyncio.sleep(0)
    gate.set()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    assert [type(o) for o in outcomes] == [SubgraphUnavailable] * 3


async def test_the_sender_giving_up_leaves_the_others_their_answer() -> None:
    gate = asyncio.Event()

    async def handler(request: SubgraphRequest) -> SubgraphResponse:
        await gate.wait()
        return SubgraphResponse({"me": {"id": "1"}}, owned=True)

    inner = MockSubgraphClient(handler)
    client = DeduplicatingClient(inner)
    request = SubgraphRequest("users", "{me{id}}")
    sender = asyncio.ensure_future(client.execute(request))
    await asyncio.sleep(0)
    waiters = [asyncio.ensure_future(client.execute(request)) for _ in range(2)]
    await asyncio.sleep(0)
    sender.cancel()
    for _ in range(3):  # the waiters hear of it, and one of them sends the request again
        await asyncio.sleep(0)
    gate.set()
    responses = await asyncio.gather(*waiters)
    assert sender.cancelled()
    # One of the waiters sent it again; the other joined that request.
    assert len(inner.requests) == 2
    assert responses[0].data == responses[1].data == {"me": {"id": "1"}}
    assert sorted(r.owned for r in responses) == [False, True]


async def test_a_waiter_giving_up_leaves_the_others_their_answer() -> None:
    inner, gate = gated_client()
    client = DeduplicatingClient(inner)
    request = SubgraphRequest("users", "{me{id}}")
    tasks = [asyncio.ensure_future(client.execute(request)) for _ in range(3)]
    await asyncio.sleep(0)
    tasks[1].cancel()
    await asyncio.sleep(0)
    gate.set()
    first, third = await asyncio.gather(tasks[0], tasks[2])
    assert tasks[1].cancelled()
    assert len(inner.requests) == 1
    assert first is third


async def test_a_request_nobody_joins_is_given_owned() -> None:
    inner = MockSubgraphClient(lambda r: SubgraphResponse({"ok": True}, owned=True))
    response = await DeduplicatingClient(inner).execute(SubgraphRequest("users", "{me{id}}"))
    assert response.owned

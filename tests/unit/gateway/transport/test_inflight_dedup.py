"""In-flight de-duplication of identical queries, never of mutations."""

from __future__ import annotations

import asyncio

from gateway.transport import (
    DeduplicatingClient,
    MockSubgraphClient,
    SubgraphRequest,
    SubgraphResponse,
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

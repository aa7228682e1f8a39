"""The gateway's keep-alive transport against a real TCP server that drops kept connections.

A request that met a reused connection closed without an answer is sent again on a new one,
unless it may not be repeated (mutations: the server might have applied it).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses

import httpx
import orjson
import pytest

from devstack.processes import free_port
from gateway.transport import HttpSubgraphClient, SubgraphRequest, SubgraphUnavailable
from gateway.transport.connections import RETRY_STALE, KeepAliveTransport

ANSWER = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}"


async def closing_server(port: int, requests: list[bytes]) -> asyncio.Server:
    """Answers the first request of a connection; reads the second and closes without answering.

    That is what a client sees when a kept connection dies under it: it cannot tell whether the
    server applied the request.
    """

    async def read_request(reader: asyncio.StreamReader) -> bytes:
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
        return head + await reader.readexactly(length)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        requests.append(await read_request(reader))
        writer.write(ANSWER)
        await writer.drain()
        with contextlib.suppress(asyncio.IncompleteReadError):  # the client closed it
            requests.append(await read_request(reader))
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", port)


def post(port: int, body: bytes, retry: bool) -> httpx.Request:
    return httpx.Request(
        "POST",
        f"http://127.0.0.1:{port}/graphql",
        content=body,
        headers={"content-type": "application/json"},
        extensions={RETRY_STALE: retry},
    )


@pytest.mark.parametrize(("retry", "sent_twice"), [(True, True), (False, False)])
async def test_a_stale_connection_is_replaced_only_when_the_request_may_be_resent(
    retry: bool, sent_twice: bool
) -> None:
    port = free_port()
    seen: list[bytes] = []
    server = await closing_server(port, seen)
    transport = KeepAliveTransport()
    try:
        first = await transport.handle_async_request(post(port, b'{"query":"{a}"}', True))
        assert first.status_code == 200
        second = post(port, b'{"query":"{second}"}', retry)
        if sent_twice:
            assert (await transport.handle_async_request(second)).status_code == 200
        else:
            with pytest.raises(httpx.RemoteProtocolError):
                await transport.handle_async_request(second)
    finally:
        await transport.aclose()
        server.close()
        await server.wait_closed()
    assert sum(b"{second}" in request for request in seen) == (2 if sent_twice else 1)


async def test_a_connection_idle_past_max_idle_is_not_reused_so_a_mutation_is_not_lost() -> None:
    """The server drops the kept connection as the gateway would reuse it (its keep-alive timeout
    ran out): a mutation, which may not be resent, must go on a new connection instead."""
    port = free_port()
    seen: list[bytes] = []
    server = await closing_server(port, seen)
    now = [0.0]
    transport = KeepAliveTransport(max_idle=1.0, clock=lambda: now[0])
    try:
        first = await transport.handle_async_request(post(port, b'{"query":"{a}"}', True))
        assert first.status_code == 200
        now[0] += 1.5  # idle longer than max_idle
        mutation = post(port, b'{"query":"mutation{second}"}', False)
        assert (await transport.handle_async_request(mutation)).status_code == 200
    finally:
        await transport.aclose()
        server.close()
        await server.wait_closed()
    assert sum(b"{second}" in request for request in seen) == 1


async def test_the_subgraph_client_posts_directly_on_kept_connections() -> None:
    """`HttpSubgraphClient` over its own keep-alive transport (no httpx request or response
    objects): the GraphQL body and headers arrive, the answer is parsed, the connection is
    reused for the next fetch, and a header that would break the message is never sent."""
    port = free_port()
    seen: list[bytes] = []
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                seen.append(head + await reader.readexactly(length))
                body = b'{"data":{"me":{"id":"1"}}}'
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                )
                await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    client = HttpSubgraphClient({"users": f"http://127.0.0.1:{port}/graphql"})
    request = SubgraphRequest(
        subgraph="users", query="{ me { id } }", headers={"x-internal-token": "abc"}
    )
    try:
        for _ in range(2):
            response = await client.execute(request)
            assert (response.data, response.errors, response.owned) == (
                {"me": {"id": "1"}},
                (),
                True,
            )
        broken = dataclasses.replace(request, headers={"x-internal-token": "a\r\nX-Evil: 1"})
        with pytest.raises(SubgraphUnavailable):
            await client.execute(broken)
    finally:
        await client.aclose()
        server.close()
        await server.wait_closed()
    assert len(seen) == 2 and len(connections) == 1, "both fetches on one kept connection"
    head, _, body = seen[0].partition(b"\r\n\r\n")
    assert head.startswith(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:")
    assert b"\r\nx-internal-token: abc\r\n" in head + b"\r\n"
    assert b"\r\nContent-Type: application/json" in head
    assert orjson.loads(body)["query"] == "{ me { id } }"

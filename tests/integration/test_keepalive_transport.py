"""The gateway's keep-alive transport against a real TCP server that drops kept connections.

A request that met a reused connection closed without an answer is sent again on a new one,
unless it may not be repeated (mutations: the server might have applied it).
"""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest

from devstack.processes import free_port
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

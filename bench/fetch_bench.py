"""CPU time of the gateway's subgraph client stack per fetch, against a local HTTP server.

    .venv/bin/python bench/fetch_bench.py [--rounds 2000] [--repeats 5] [--answer-bytes 4000]
                                          [--in-memory]

The stack is the one the gateway builds (`DeduplicatingClient` -> `RoutingClient` ->
`HttpSubgraphClient`: breaker, metrics, keep-alive connection, answer parsing), sending rounds
of 6 concurrent fetches, as the benchmark's `unique` mode does, each with a request id and an
internal token header of its own. The server runs in a child process, so this process's CPU
time (`time.process_time`) is the client side's alone; the best of `--repeats` is printed, in
microseconds per fetch. `--in-memory` answers each request from memory instead (the
connections' transport hands the answer to the connection on the next turn of the loop): no
socket, no server, so what is measured is the client stack's Python alone, much steadier on a
busy machine than the socket figures, whose system calls vary with the load. See
bench/PROFILE.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.request_id import request_id_scope
from gateway.app.clients import RoutingClient
from gateway.transport import (
    DeduplicatingClient,
    HttpSubgraphClient,
    SubgraphRequest,
)
from gateway.transport.connections import _Connection

_SERVER = r"""
import asyncio, sys
size = int(sys.argv[1])
payload = b'{"data":{"_entities":[' + b",".join(
    b'{"__typename":"User","id":"%d","name":"n%d"}' % (i, i) for i in range(size // 40)
) + b"]}}"
answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nKeep-Alive: timeout=5\r\n" \
    b"Content-Length: %d\r\n\r\n%s" % (len(payload), payload)

class Server(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buffer = transport, b""
    def data_received(self, data):
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            at = head.find(b"content-length:")
            length = int(head[at + 15:].split(b"\r\n", 1)[0]) if at >= 0 else 0
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length:]
            self.transport.write(answer)

async def main():
    server = await asyncio.get_running_loop().create_server(Server, "127.0.0.1", int(sys.argv[2]))
    print("ready", flush=True)
    await server.serve_forever()

asyncio.run(main())
"""

_QUERY = (
    "query($representations:[_Any!]!){_entities(representations:$representations)"
    "{...on User{name}}}"
)


def _answer(size: int) -> bytes:
    payload = (
        b'{"data":{"_entities":['
        + b",".join(
            b'{"__typename":"User","id":"%d","name":"n%d"}' % (i, i) for i in range(size // 40)
        )
        + b"]}}"
    )
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (
        len(payload),
        payload,
    )


class _InMemory:
    """A connection's transport that answers every write with `answer`, on the next turn."""

    def __init__(self, protocol: Any, answer: bytes) -> None:
        self.protocol, self.answer = protocol, answer
        self.loop = asyncio.get_running_loop()
        protocol.connection_made(self)

    def write(self, data: bytes) -> None:
        self.loop.call_soon(self.protocol.data_received, self.answer)

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        pass


def _in_memory(http: HttpSubgraphClient, name: str, answer: bytes) -> None:
    """Fill the subgraph's pool with connections answering from memory."""
    route = http._routes[name]
    url = route.url
    connections = []
    for _ in range(12):
        connection = _Connection()
        _InMemory(connection, answer)
        connection.idle_since = time.monotonic()
        connections.append(connection)
    route.sender._idle[(url.host, url.port or 80)] = connections  # type: ignore[union-attr]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _run(port: int, rounds: int, repeats: int, in_memory: bytes | None) -> list[float]:
    name = "accounts"
    http = HttpSubgraphClient({name: f"http://127.0.0.1:{port}/{name}"})
    if in_memory is not None:
        _in_memory(http, name, in_memory)
    client = DeduplicatingClient(RoutingClient({name: http}))
    serial = 0

    async def one_round() -> None:
        nonlocal serial
        serial += 1
        headers = {"x-internal-token": f"token-of-user-{serial}-" + "x" * 180}
        with request_id_scope(os.urandom(16).hex()):
            await asyncio.gather(
                *(
                    client.execute(
                        SubgraphRequest(
                            name,
                            _QUERY,
                            {"representations": [{"__typename": "User", "id": str(i)}]},
                            headers=headers,
                        )
                    )
                    for i in range(6)
                )
            )

    for _ in range(200):  # warm up: connections open, code paths hot
        await one_round()
    results = []
    for _ in range(repeats):
        started = time.process_time()
        for _ in range(rounds):
            await one_round()
        results.append((time.process_time() - started) / (rounds * 6) * 1e6)
    await http.aclose()
    return results


def main() -> None:
    """Run the measurement and print microseconds of CPU per fetch."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--answer-bytes", type=int, default=4000)
    parser.add_argument("--in-memory", action="store_true")
    args = parser.parse_args()
    port = _free_port()
    in_memory = _answer(args.answer_bytes) if args.in_memory else None
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(args.answer_bytes), str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        server.stdout.readline()
        try:
            import uvloop

            runner = uvloop.run
        except ImportError:
            runner = asyncio.run
        results = runner(_run(port, args.rounds, args.repeats, in_memory))
    finally:
        server.terminate()
        server.wait()
    runs = ", ".join(f"{r:.1f}" for r in results)
    print(f"CPU per fetch: best {min(results):.1f} us (runs: {runs})")


if __name__ == "__main__":
    main()

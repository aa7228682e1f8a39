"""A lean httpx transport: HTTP/1.1 keep-alive connections as asyncio protocols, for plain
`http://` subgraph URLs.

httpcore's pool re-examines every connection whenever a request starts or ends (and checks each
idle socket with a system call), so its cost grows with the square of the connections in use:
with dozens of client requests in flight that was most of the gateway's time. Here idle
connections wait in a stack per origin and a semaphore bounds how many are open, so a request
costs the same however busy the pool is. `https://` URLs go through httpx's own transport.

What it speaks: one request at a time per connection, a body of `Content-Length` or chunked
transfer coding, or up to the close of a `Connection: close` answer. A reused connection that
the server closed while idle is replaced once, for a request that got no byte of answer, unless
the request's `extensions[RETRY_STALE]` is False (mutations: the server may have applied it).
So that a mutation rarely meets such a connection, one idle for longer than `max_idle` is closed
instead of reused: servers close idle connections after a keep-alive timeout of their own
(uvicorn and Node 5 s, gunicorn 2 s), and a request sent as the server closes is lost.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import cast

import httpx

_NO_BODY_STATUS = frozenset({204, 304})
#: Request extension: may a request that met a stale reused connection be sent again?
RETRY_STALE = "retry_stale_connection"
#: Seconds a connection may sit idle and still be reused: below the shortest keep-alive timeout
#: of common servers (gunicorn's 2 s), so the server has not started closing it.
MAX_IDLE_SECONDS = 1.5
_Origin = tuple[str, int]
#: status, reason, headers, body
_Answer = tuple[int, bytes, list[tuple[bytes, bytes]], bytes]
#: status, reason, headers, body, and whether the connection may be reused
_Read = tuple[int, bytes, list[tuple[bytes, bytes]], bytes, bool]
#: the longest answer head read (status line and headers)
MAX_HEAD_BYTES = 2**20


class _Connection(asyncio.Protocol):
    """One kept connection, as an asyncio protocol: the answer's bytes gather in a buffer and
    the request waits on one future until they make a whole answer (no stream reader and
    writer, whose awaits per read cost more than the rest of a fetch's client side)."""

    __slots__ = ("_buffer", "_eof", "_reader", "_waiter", "idle_since", "transport")

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.idle_since = 0.0
        self._buffer = bytearray()
        self._eof = False
        self._reader = _AnswerReader()
        self._waiter: asyncio.Future[_Read] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not `asyncio.Transport` subclasses, but have its methods.
        self.transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if self._waiter is not None:
            self._settle()

    def eof_received(self) -> bool:
        self._eof = True
        if self._waiter is not None:
            self._settle()
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self._eof = True
        if self._waiter is not None:
            self._settle()

    def usable(self) -> bool:
        return not self._eof and self.transport is not None and not self.transport.is_closing()

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    async def exchange(self, message: bytes, read_timeout: float | None) -> _Read:
        """Write `message` and wait (at most `read_timeout` s: TimeoutError) for the answer;
        `asyncio.IncompleteReadError` when the connection ends first, ValueError, IndexError or
        `asyncio.LimitOverrunError` for a malformed one."""
        assert self.transport is not None
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[_Read] = loop.create_future()
        self._waiter = waiter
        self.transport.write(message)
        if self._buffer or self._eof:
            self._settle()  # the server may have closed the connection already
        timer = None if read_timeout is None else loop.call_later(read_timeout, _expire, waiter)
        try:
            return await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    def _settle(self) -> None:
        waiter = self._waiter
        if waiter is None or waiter.done():
            return
        try:
            read = self._reader.read(self._buffer, self._eof)
        except (
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ValueError,
            IndexError,
        ) as exc:
            waiter.set_exception(exc)
            return
        if read is not None:
            waiter.set_result(read)


def _expire(waiter: asyncio.Future[_Read]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())


class KeepAliveTransport(httpx.AsyncBaseTransport):
    """An `httpx.AsyncBaseTransport` keeping up to `max_connections` connections open."""

    def __init__(
        self,
        max_connections: int = 100,
        max_idle: float = MAX_IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_connections = max_connections
        self.max_idle = max_idle
        self._clock = clock
        self._idle: dict[_Origin, list[_Connection]] = {}
        self._slots: asyncio.Semaphore | None = None
        self._fallback: httpx.AsyncHTTPTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` on an idle connection to its origin, or on a new one."""
        if request.url.scheme != "http":
            if self._fallback is None:
                self._fallback = httpx.AsyncHTTPTransport()
            return await self._fallback.handle_async_request(request)
        message = _serialize(request, await request.aread())
        status, reason, headers, body = await self._round_trip(
            (request.url.host, request.url.port or 80),
            message,
            request.extensions.get("timeout", {}),
            request.extensions.get(RETRY_STALE, True),
            request,
        )
        return httpx.Response(
            status,
            headers=headers,
            stream=httpx.ByteStream(body),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": reason},
            request=request,
        )

    async def post(
        self,
        url: httpx.URL,
        headers: Mapping[str, str],
        body: bytes,
        timeouts: Mapping[str, float | None],
        retry_stale: bool = True,
    ) -> tuple[int, str | None, bytes]:
        """POST `body` to a plain `http://` URL: the answer's status, `Cache-Control` header
        (None without one) and body. The same as
        `handle_async_request` without building httpx's request and response objects (the
        subgraph client's path: a third of a fetch's cost was those objects); the same httpx
        errors, without a request attached. A header that would break the message (a line
        break, a character beyond Latin-1) is `httpx.LocalProtocolError`, and nothing is sent."""
        message = _message(url, headers, body)
        return await self.send(origin_of(url), message, timeouts, retry_stale)

    async def send(
        self,
        origin: tuple[str, int],
        message: bytes,
        timeouts: Mapping[str, float | None],
        retry_stale: bool = True,
    ) -> tuple[int, str | None, bytes]:
        """`post` of a message written already (`post_message`) to `origin` (`origin_of`)."""
        status, _, answer_headers, content = await self._round_trip(
            origin, message, timeouts, retry_stale, None
        )
        cache_control = None
        for name, value in answer_headers:
            if len(name) == 13 and name.lower() == b"cache-control":
                cache_control = value.decode("latin-1")
                break
        return status, cache_control, content

    async def _round_trip(
        self,
        origin: _Origin,
        message: bytes,
        timeouts: Mapping[str, float | None],
        retry_stale: bool,
        request: httpx.Request | None,
    ) -> _Answer:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.max_connections)
        if self._slots.locked():  # every connection busy: wait for one, within the pool timeout
            try:
                async with asyncio.timeout(timeouts.get("pool")):
                    await self._slots.acquire()
            except TimeoutError:
                raise httpx.PoolTimeout(
                    "no connection became free in time", request=request
                ) from None
        else:  # a free slot is taken at once: no timer to arm and cancel on every fetch
            await self._slots.acquire()
        try:
            while True:
                connection, reused = self._take(origin), True
                if connection is None:
                    connection, reused = await _connect(origin, timeouts, request), False
                keep = False
                try:
                    status, reason, headers, body, keep = await connection.exchange(
                        message, timeouts.get("read")
                    )
                except TimeoutError:
                    raise httpx.ReadTimeout(
                        "the subgraph did not answer in time", request=request
                    ) from None
                except (
                    ConnectionError,
                    asyncio.IncompleteReadError,
                    asyncio.LimitOverrunError,
                    ValueError,
                    IndexError,
                ) as exc:
                    if isinstance(
                        exc, (asyncio.IncompleteReadError, ConnectionError)
                    ) and not getattr(exc, "partial", b""):
                        # A reused connection the server closed before answering: retry on
                        # a new one (once: a new connection's failure is not stale).
                        if not reused or not retry_stale:
                            raise httpx.RemoteProtocolError(
                                "the server closed the connection without answering",
                                request=request,
                            ) from None
                        continue
                    raise httpx.RemoteProtocolError(
                        f"bad HTTP answer: {exc!r}", request=request
                    ) from None
                finally:
                    if keep:
                        connection.idle_since = self._clock()
                        self._idle.setdefault(origin, []).append(connection)
                    else:
                        connection.close()
                return status, reason, headers, body
        finally:
            self._slots.release()

    async def aclose(self) -> None:
        """Close every idle connection."""
        for stack in self._idle.values():
            for connection in stack:
                connection.close()
        self._idle.clear()
        if self._fallback is not None:
            await self._fallback.aclose()

    def _take(self, origin: _Origin) -> _Connection | None:
        stack = self._idle.get(origin)
        if not stack:
            return None
        # The stack's bottom went idle first: drop every connection idle for too long.
        oldest_usable = self._clock() - self.max_idle
        while stack and stack[0].idle_since < oldest_usable:
            stack.pop(0).close()
        while stack:
            connection = stack.pop()
            if connection.usable():
                return connection
            connection.close()
        return None


def origin_of(url: httpx.URL) -> _Origin:
    """Where connections for `url` go: host and port."""
    return url.host, url.port or 80


async def _connect(
    origin: _Origin, timeouts: Mapping[str, float | None], request: httpx.Request | None
) -> _Connection:
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeouts.get("connect")):
            _, connection = await loop.create_connection(_Connection, *origin)
    except TimeoutError:
        raise httpx.ConnectTimeout("connecting timed out", request=request) from None
    except OSError as exc:
        raise httpx.ConnectError(str(exc), request=request) from None
    return connection


def post_head(url: httpx.URL, headers: Mapping[str, str]) -> bytes:
    """The start of a POST to `url`: its request line, `Host`, then `headers` (those every
    request to it carries, encoded once); `post_message` completes it."""
    return b"POST %s HTTP/1.1\r\nHost: %s%s" % (url.raw_path, url.netloc, header_lines(headers))


def header_lines(headers: Mapping[str, str]) -> bytes:
    """`headers` as lines of a message's head, each after its line break. A header that
    would break the message (a line break, a character beyond Latin-1) is
    `httpx.LocalProtocolError`."""
    text = "".join([f"\r\n{name}: {value}" for name, value in headers.items()])
    try:
        lines = text.encode("latin-1")
    except UnicodeEncodeError:
        raise httpx.LocalProtocolError("a header holds a character beyond Latin-1") from None
    # the separators' own: any other CR or LF came from a header
    if lines.count(b"\n") != len(headers) or lines.count(b"\r") != len(headers):
        raise httpx.LocalProtocolError("a header holds a line break")
    return lines


def post_message(head: bytes, lines: bytes, body: bytes) -> bytes:
    """A POST of `body`: `head` (`post_head`), more header `lines` (`header_lines`), then
    Content-Length, as httpx would write it."""
    return b"%s%s\r\nContent-Length: %d\r\n\r\n%s" % (head, lines, len(body), body)


def _message(url: httpx.URL, headers: Mapping[str, str], body: bytes) -> bytes:
    """A POST of `body` to `url` with `headers`, as httpx would write it (Host first, then the
    headers, then Content-Length)."""
    return post_message(post_head(url, {}), header_lines(headers), body)


def _serialize(request: httpx.Request, body: bytes) -> bytes:
    lines = [b"%s %s HTTP/1.1" % (request.method.encode(), request.url.raw_path)]
    lines.extend(b"%s: %s" % (name, value) for name, value in request.headers.raw)
    lines.append(b"")
    lines.append(body)
    return b"\r\n".join(lines)


def _parse_response(buffer: bytearray, eof: bool) -> _Read | None:
    """The answer at the start of `buffer` (taken out of it): status, reason, headers, body,
    and whether the connection may be reused; None while it is incomplete and more may come
    (`eof`: nothing more will), `asyncio.IncompleteReadError` when it never will be."""
    return _AnswerReader().read(buffer, eof)


class _Head:
    """An answer's head, parsed once: status line, headers, and how its body is framed."""

    __slots__ = ("chunked", "headers", "keep", "length", "reason", "start", "status")

    def __init__(self, buffer: bytearray, end: int) -> None:
        status_line, *header_lines = bytes(buffer[:end]).split(b"\r\n")
        version, status_text, *rest = status_line.split(b" ", 2)
        self.status = int(status_text)
        self.reason = rest[0] if rest else b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.length: int | None = None
        self.chunked = False
        self.keep = version == b"HTTP/1.1"
        for line in header_lines:
            name, _, value = line.partition(b":")
            value = value.strip()
            self.headers.append((name, value))
            lowered = name.lower()
            if lowered == b"content-length":
                self.length = int(value)
            elif lowered == b"transfer-encoding":
                self.chunked = b"chunked" in value.lower()
            elif lowered == b"connection":
                lowered_value = value.lower()
                self.keep = b"close" not in lowered_value and (
                    self.keep or b"keep-alive" in lowered_value
                )
        #: where the body starts in the buffer
        self.start = end + 4


class _AnswerReader:
    """Reads a connection's answers one after the other out of its buffer, keeping what it
    learnt between the pieces of one answer: the head is parsed once and the chunks of a
    chunked body are scanned once, however many pieces the answer arrives in."""

    __slots__ = ("_at", "_head", "_parts", "_searched")

    def __init__(self) -> None:
        self._start_over()

    def _start_over(self) -> None:
        self._searched = 0  # bytes of the buffer known to hold no end of the head
        self._head: _Head | None = None
        self._at = 0  # a chunked body: where its next chunk's size line starts
        self._parts: list[bytes] = []  # a chunked body: the chunks read so far

    def read(self, buffer: bytearray, eof: bool) -> _Read | None:
        """The answer at the start of `buffer`, as `_parse_response` says."""
        head = self._head
        if head is None:
            end = buffer.find(b"\r\n\r\n", max(0, self._searched - 3))
            if end < 0:
                if len(buffer) > MAX_HEAD_BYTES:
                    raise asyncio.LimitOverrunError("the answer's head is too long", len(buffer))
                if eof:
                    raise asyncio.IncompleteReadError(bytes(buffer), None)
                self._searched = len(buffer)
                return None
            head = self._head = _Head(buffer, end)
            self._at = head.start
        status, start, keep = head.status, head.start, head.keep
        if status in _NO_BODY_STATUS or 100 <= status < 200:
            body, used = b"", start
        elif head.chunked:
            used_or_none = self._chunked_body(buffer)
            if used_or_none is None:
                if eof:
                    raise asyncio.IncompleteReadError(bytes(buffer), None)
                return None
            body, used = b"".join(self._parts), used_or_none
        elif head.length is not None:
            end = start + head.length
            if len(buffer) < end:
                if eof:
                    raise asyncio.IncompleteReadError(bytes(buffer), end)
                return None
            body, used = bytes(buffer[start:end]), end
        else:  # the body runs until the server closes the connection
            if not eof:
                return None
            body, used, keep = bytes(buffer[start:]), len(buffer), False
        del buffer[:used]
        self._start_over()
        return status, head.reason, head.headers, body, keep

    def _chunked_body(self, buffer: bytearray) -> int | None:
        """Where the chunked body ends (its chunks gathered in `_parts`); None while
        incomplete, having taken the chunks that are whole."""
        at = self._at
        while True:
            line_end = buffer.find(b"\r\n", at)
            if line_end < 0:
                return None
            size = int(bytes(buffer[at:line_end]).split(b";", 1)[0], 16)
            data = line_end + 2
            if size == 0:
                while True:  # trailers, up to an empty line
                    line_end = buffer.find(b"\r\n", data)
                    if line_end < 0:
                        return None
                    empty, data = line_end == data, line_end + 2
                    if empty:
                        return data
            if len(buffer) < data + size + 2:
                return None
            self._parts.append(bytes(buffer[data : data + size]))
            at = self._at = data + size + 2

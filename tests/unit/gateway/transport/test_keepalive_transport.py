"""The keep-alive transport's HTTP/1.1 reading and writing, over in-memory bytes: no socket."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from gateway.transport.connections import (
    _AnswerReader,
    _message,
    _parse_response,
    _Read,
    _serialize,
    header_lines,
    post_head,
    post_message,
)


def read(data: bytes) -> _Read:
    """The answer at the start of `data`, the connection having ended after it."""
    found = _parse_response(bytearray(data), eof=True)
    assert found is not None
    return found


def test_a_content_length_body_keeps_the_connection() -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: application/json\r\n\r\n"
        b'{"data":{}}'
    )
    status, reason, headers, body, keep = read(raw + b"HTTP/1.1")
    assert (status, reason, body, keep) == (200, b"OK", b'{"data":{}}', True)
    assert (b"Content-Type", b"application/json") in headers


def test_a_chunked_body_is_joined() -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4\r\nabcd\r\n3;x=y\r\nefg\r\n0\r\n\r\n"
    )
    _, _, _, body, keep = read(raw)
    assert (body, keep) == (b"abcdefg", True)


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", b"ok"),
        (b"HTTP/1.1 200 OK\r\n\r\nuntil the end", b"until the end"),
        (b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", b"ok"),
    ],
)
def test_answers_that_end_the_connection_are_not_kept(raw: bytes, body: bytes) -> None:
    _, _, _, answer, keep = read(raw)
    assert (answer, keep) == (body, False)


def test_a_closed_connection_before_any_answer_is_an_incomplete_read() -> None:
    with pytest.raises(asyncio.IncompleteReadError) as caught:
        read(b"")
    assert caught.value.partial == b""


@pytest.mark.parametrize(
    "raw",
    [
        b'HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{"data":{}}',
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\nT: 1\r\n\r\n",
        b"HTTP/1.1 204 No Content\r\n\r\n",
    ],
)
def test_an_answer_arriving_in_pieces_is_whole_only_at_its_last_byte(raw: bytes) -> None:
    buffer = bytearray()
    for end in range(len(raw)):
        buffer += raw[end : end + 1]
        found = _parse_response(buffer, eof=False)
        assert (found is None) == (end < len(raw) - 1)
    assert buffer == b""  # the answer was taken out; the next one starts at the front


@pytest.mark.parametrize(
    "raw",
    [
        b'HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{"data":{}}',
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4\r\nabcd\r\n3\r\nefg\r\n0\r\nT: 1\r\n\r\n",
        b"HTTP/1.1 204 No Content\r\n\r\n",
    ],
)
def test_one_reader_fed_piece_by_piece_reads_each_answer_whole(raw: bytes) -> None:
    """A connection's reader keeps what it parsed between pieces (no re-parse per piece)."""
    reader, buffer = _AnswerReader(), bytearray()
    for _ in range(2):  # the second answer on the same connection starts afresh
        for end in range(len(raw)):
            buffer += raw[end : end + 1]
            found = reader.read(buffer, eof=False)
            assert (found is None) == (end < len(raw) - 1)
        assert found == _parse_response(bytearray(raw), eof=False)
        assert buffer == b""


def test_the_next_answer_stays_in_the_buffer() -> None:
    one = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    buffer = bytearray(one + one[:10])
    assert _parse_response(buffer, eof=False) is not None
    assert buffer == one[:10]


def test_an_answer_cut_short_is_an_incomplete_read_with_what_came() -> None:
    with pytest.raises(asyncio.IncompleteReadError) as caught:
        read(b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\nshort")
    assert caught.value.partial.endswith(b"short")


def test_the_request_is_written_in_one_message() -> None:
    request = httpx.Request(
        "POST", "http://users.test:4001/graphql?x=1", content=b"{}", headers={"A": "b"}
    )
    assert _serialize(request, b"{}") == (
        b"POST /graphql?x=1 HTTP/1.1\r\nHost: users.test:4001\r\nA: b\r\n"
        b"Content-Length: 2\r\n\r\n{}"
    )


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("http://users.test:4001/graphql?x=1", {"A": "b"}),
        ("http://127.0.0.1/graphql", {"Accept": "application/json", "x-internal-token": "t.k.n"}),
        ("http://products:80/", {}),
    ],
)
def test_the_direct_post_writes_what_httpx_would(url: str, headers: dict[str, str]) -> None:
    """The subgraph client's path without httpx objects sends the very bytes httpx's path does."""
    body = b'{"query":"{ a }"}'
    request = httpx.Request("POST", url, content=body, headers=headers)
    assert _message(httpx.URL(url), headers, body) == _serialize(request, body)


@pytest.mark.parametrize("value", ["a\r\nX-Injected: 1", "a\nb", "a\rb", "caf\u00e9 \u2615"])
def test_a_header_that_would_break_the_message_is_refused(value: str) -> None:
    with pytest.raises(httpx.LocalProtocolError):
        _message(httpx.URL("http://users.test/graphql"), {"x-forwarded": value}, b"{}")


@pytest.mark.parametrize(
    "headers", [{}, {"x-internal-token": "t.k.n"}, {"A": "b", "X-Request-ID": "r-1"}]
)
def test_a_message_from_an_encoded_head_is_the_whole_message(headers: dict[str, str]) -> None:
    """The head encoded once per subgraph, then the request's headers: the same bytes."""
    url = httpx.URL("http://users.test:4001/graphql")
    constant = {"Accept": "application/json", "Content-Type": "application/json"}
    body = b'{"query":"{ a }"}'
    written = post_message(post_head(url, constant), header_lines(headers), body)
    assert written == _message(url, {**constant, **headers}, body)

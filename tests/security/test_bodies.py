"""Oversized and malformed bodies and wrong media types, vectors that held when the system was
attacked (issue 12): each is a coded 4xx, on `/graphql` and on the REST shims, never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.support.stack import RunningStack

MIB = 1024 * 1024


def post(
    url: str, content: bytes | Iterator[bytes], content_type: str = "application/json"
) -> httpx.Response:
    return httpx.post(url, content=content, headers={"Content-Type": content_type}, timeout=60)


def code_of(answer: httpx.Response) -> str:
    body = answer.json()
    return str(
        body["errors"][0]["extensions"]["code"] if "errors" in body else body["error"]["code"]
    )


@pytest.mark.parametrize("path", ["/graphql", "/api/v1/users/login"])
def test_an_oversized_body_is_413(target: RunningStack, path: str) -> None:
    answer = post(f"{target.gateway_url}{path}", b"{" + b" " * (2 * MIB) + b"}")
    assert answer.status_code == 413 and code_of(answer) == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize("path", ["/graphql", "/api/v1/users/login"])
def test_an_oversized_body_without_a_length_is_413_while_it_is_read(
    target: RunningStack, path: str
) -> None:
    chunks = iter([b"{"] + [b" " * 65536] * 40)  # chunked: no Content-Length to refuse it by
    answer = post(f"{target.gateway_url}{path}", chunks)
    assert answer.status_code == 413 and code_of(answer) == "PAYLOAD_TOO_LARGE"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"", "BAD_REQUEST"),
        (b"{not json", "BAD_REQUEST"),
        (b'"just a string"', "BAD_REQUEST"),
        (b"42", "BAD_REQUEST"),
        (b'{"query": 42}', "BAD_REQUEST"),
        (b'{"query": "{ __typename }", "variables": "x"}', "BAD_REQUEST"),
        (b'{"query": "{ __typename }", "operationName": ["x"]}', "BAD_REQUEST"),
        (b"\xff\xfe\x00garbage", "BAD_REQUEST"),
        (b'{"query": "{ \\ud800 }"}', "GRAPHQL_PARSE_FAILED"),
    ],
)
def test_a_malformed_graphql_body_is_a_coded_400(
    target: RunningStack, body: bytes, code: str
) -> None:
    answer = post(f"{target.gateway_url}/graphql", body)
    assert answer.status_code == 400, answer.text
    assert code_of(answer) == code


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2", b"\xff\xfe"])
def test_a_malformed_rest_body_is_a_coded_400(target: RunningStack, body: bytes) -> None:
    answer = post(f"{target.gateway_url}/api/v1/users/login", body)
    assert answer.status_code == 400, answer.text
    assert code_of(answer) == "BAD_REQUEST"


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "image/png"])
@pytest.mark.parametrize("path", ["/graphql", "/api/v1/users/login"])
def test_a_body_that_is_not_json_by_its_media_type_is_415(
    target: RunningStack, path: str, content_type: str
) -> None:
    answer = post(f"{target.gateway_url}{path}", b'{"query": "{ __typename }"}', content_type)
    assert answer.status_code == 415, answer.text
    assert code_of(answer) == "UNSUPPORTED_MEDIA_TYPE"

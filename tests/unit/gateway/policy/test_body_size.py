"""The body size limit: refused while reading, before the whole body has arrived."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway.policy.body_size import read_body
from gateway.policy.errors import PolicyError


async def chunks(count: int, size: int, read: list[int]) -> AsyncIterator[bytes]:
    for _ in range(count):
        read.append(size)
        yield b"x" * size


async def test_a_body_within_the_limit_is_read_whole() -> None:
    read: list[int] = []
    assert await read_body(chunks(3, 10, read), 30) == b"x" * 30


async def test_a_body_over_the_limit_is_refused_while_reading() -> None:
    read: list[int] = []
    with pytest.raises(PolicyError) as refused:
        await read_body(chunks(1000, 10, read), 25)
    assert (refused.value.status, refused.value.code) == (413, "PAYLOAD_TOO_LARGE")
    assert len(read) == 3  # stopped at the chunk that passed the limit


async def test_a_declared_content_length_over_the_limit_is_refused_before_reading() -> None:
    read: list[int] = []
    with pytest.raises(PolicyError):
        await read_body(chunks(1, 10, read), 25, content_length="100")
    assert read == []

"""A request's JSON (a `/graphql` body, GET's `variables` and `extensions`), decoded under a nesting
limit: deeper than `GATEWAY_MAX_JSON_DEPTH` arrays and objects is a 400 (`MAX_JSON_DEPTH_LIMIT`)
before anything else reads the request, as the REST endpoints refuse such bodies.

orjson decodes (and refuses past 1024 levels itself); Python's json takes what orjson refuses
for other reasons (integers beyond 64 bits), under the same limit, so its recursion is never
reached. The walk that measures the depth runs only when the text has more brackets than the
limit allows, and it visits containers, not scalars: a typical request costs one `bytes.count`.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from gateway.policy.errors import MAX_JSON_DEPTH_LIMIT, PolicyError

#: orjson's own limit, and the message it refuses deeper documents with
_ORJSON_DEPTH_MESSAGE = "depth limit exceeded"


def decode_json(raw: bytes | str, max_depth: int) -> Any:
    """The JSON value of `raw`; `PolicyError` (400) when it nests deeper than `max_depth`,
    `ValueError` when it is not JSON."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if exc.msg == _ORJSON_DEPTH_MESSAGE:
            raise too_deep(max_depth) from None
        try:
            value = json.loads(raw)
        except RecursionError:
            raise too_deep(max_depth) from None
    check_json_depth(raw, value, max_depth)
    return value


def check_json_depth(raw: bytes | str, value: Any, max_depth: int) -> None:
    """`PolicyError` (400) when `value` (decoded from `raw`) nests deeper than `max_depth`."""
    opening = (b"[", b"{") if isinstance(raw, bytes) else ("[", "{")
    if raw.count(opening[0]) + raw.count(opening[1]) <= max_depth:  # type: ignore[arg-type]
        return  # fewer brackets than the limit, in strings or not: cannot be deeper
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        container, depth = stack.pop()
        children = container.values() if isinstance(container, dict) else container
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > max_depth:
                    raise too_deep(max_depth)
                stack.append((child, depth + 1))


def too_deep(max_depth: int) -> PolicyError:
    """The refusal of a request whose JSON nests deeper than `max_depth`."""
    return PolicyError(
        400,
        MAX_JSON_DEPTH_LIMIT,
        f"The request's JSON nests arrays and objects more than {max_depth} levels deep; "
        "send flatter variables and extensions.",
    )

"""Coalescing identical requests in flight at the gateway's door: one execution, every caller
served its answer.

Two requests coalesce only when nothing that can change the answer differs between them:

- the query plan, as an object: one per query text, operation name, enabled `@override`
  labels and authorized variant (the plan cache's key), so equal text is not enough, the very
  plan must be the one the pipeline chose for both;
- the authorization outcome (`AuthorizedOperation`, cached per kind of caller), as an object;
- the variables, compared as canonical JSON (key order ignored, types kept: `1` is not `1.0`);
- every header the subgraphs will see (the internal token that carries the caller's identity
  and claims, and any client header `GATEWAY_FORWARD_HEADERS` passes on);
- the caller's identity itself (subject, user id, roles, scopes).

Only queries coalesce, and only at `/graphql`, whose answer goes straight to the client: a
mutation must run once per request, and the REST shims read and reshape their answers (their
models change the data they validate), so they never share one. Everything before execution
(rate limits, parsing, validation, limits, cost, authorization, planning) still runs for every
request, and everything after it that differs per request (error masking with the request id,
the plan extension) is done per caller on the shared answer without changing it. The shared
answer is therefore never changed once it is shared: callers build their own top level.

The first caller runs the execution itself (no task of its own: most queries are joined by none);
the others wait shielded: one that disconnects leaves and the rest keep waiting. When the first
caller itself gives up (cancelled), those waiting run the execution again, one of them for the
rest. When it fails, every caller sees the same exception. An entry lives only while its
execution is in flight; nothing is cached (the table of calls in flight is
`gateway.transport.inflight`'s).

`GATEWAY_COALESCE_REQUESTS=false` turns it off.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import orjson
from prometheus_client import Counter

from common.auth import Identity
from gateway.transport.inflight import InFlight

T = TypeVar("T")

COALESCED = Counter(
    "gateway_coalesced_requests_total",
    "GraphQL queries answered by the execution of an identical query already in flight",
)

#: (plan id, authorization id, variables as canonical JSON, sorted headers, identity)
CoalesceKey = tuple[int, int, bytes, tuple[tuple[str, str], ...], Identity | None]


def coalesce_key(
    plan: object,
    authorized: object | None,
    variables: Mapping[str, Any] | None,
    headers: Mapping[str, str] | None,
    identity: Identity | None,
) -> CoalesceKey:
    """The key of a request's execution: equal only for requests that must get the same answer.

    `plan` and `authorized` are compared by identity; the caller keeps them alive (they are held
    by the entry while it is in flight), so an id is never reused for another object meanwhile.
    """
    return (
        id(plan),
        id(authorized) if authorized is not None else 0,
        canonical_json(variables or {}),
        tuple(sorted((name.lower(), value) for name, value in (headers or {}).items())),
        identity,
    )


def canonical_json(value: Any) -> bytes:
    """`value` as JSON with sorted keys: equal for equal values whatever their key order."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # an integer beyond 64 bits, say
        return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


class SharedAnswer(dict[str, Any]):
    """A GraphQL response that coalesced requests share. Never changed once shared, so its JSON
    is written once, by the first caller to send it, and reused by the others."""

    __slots__ = ("_json",)

    def json_bytes(self) -> bytes:
        """The response as compact JSON (orjson's), written on the first call."""
        try:
            return self._json
        except AttributeError:
            self._json: bytes = orjson.dumps(self)
            return self._json


def shared(
    produce: Callable[[], Awaitable[dict[str, Any]]],
) -> Callable[[], Awaitable[dict[str, Any]]]:
    """`produce`, its answer wrapped as a `SharedAnswer` (a shallow copy of the top level)."""

    async def wrapped() -> dict[str, Any]:
        return SharedAnswer(await produce())

    return wrapped


class Coalescer(InFlight[T]):
    """Runs one execution per key (`coalesce_key`) among the queries in flight at the same time.

    `on_join` is called each time a query joins one in flight (for a metric)."""

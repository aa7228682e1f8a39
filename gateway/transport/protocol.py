"""The transport contract: a request to one subgraph, its response, and the client protocol."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class SubgraphRequest:
    """One GraphQL request to one subgraph."""

    subgraph: str
    query: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    operation_name: str | None = None
    is_mutation: bool = False
    #: client headers forwarded to the subgraph (authorization)
    headers: Mapping[str, str] = field(default_factory=dict)
    #: `json_body()`, once written: the de-duplication key and the bytes sent share it
    _json: bytes | None = field(default=None, init=False, repr=False, compare=False)

    def body(self) -> JsonObject:
        """The JSON body of the request, as GraphQL over HTTP defines it."""
        body: JsonObject = {"query": self.query}
        if self.variables:
            body["variables"] = dict(self.variables)
        if self.operation_name:
            body["operationName"] = self.operation_name
        return body

    def json_body(self) -> bytes:
        """`body()` as compact JSON with sorted keys (equal for equal bodies whatever their key
        order), written once; TypeError for a value JSON cannot hold."""
        encoded = self._json
        if encoded is None:
            try:
                encoded = orjson.dumps(self.body(), option=orjson.OPT_SORT_KEYS)
            except TypeError:  # an integer beyond 64 bits, say
                encoded = json.dumps(self.body(), sort_keys=True, separators=(",", ":")).encode()
            object.__setattr__(self, "_json", encoded)  # a cache: the request stays unchanged
        return encoded

    def identity(self) -> tuple[str, bytes, tuple[tuple[str, str], ...]]:
        """What makes two requests interchangeable: subgraph, body and forwarded headers."""
        try:
            body = self.json_body()
        except TypeError:  # not JSON: never sent, but still told apart from other requests
            body = json.dumps(
                self.body(), sort_keys=True, separators=(",", ":"), default=str
            ).encode()
        headers = tuple(sorted([(k.lower(), v) for k, v in self.headers.items()]))
        return self.subgraph, body, headers


@dataclass(frozen=True)
class SubgraphResponse:
    """A GraphQL response from a subgraph: `data` (None when absent) and its errors."""

    data: JsonObject | None
    errors: tuple[JsonObject, ...] = ()
    #: whether `data` belongs to the receiver alone (parsed for it), which may then keep and
    #: change it without copying; False when it may be shared or reused: copy it at once
    owned: bool = field(default=False, compare=False)
    #: the subgraph's `Cache-Control` header: what of the answer may be cached, for how long
    #: and for whom (gateway/caching); None when it sent none
    cache_control: str | None = field(default=None, compare=False)


class SubgraphClient(Protocol):
    """Sends requests to subgraphs; raises `SubgraphUnavailable` when no usable answer came."""

    async def execute(self, request: SubgraphRequest) -> SubgraphResponse:
        """Send one request and return the subgraph's GraphQL response."""
        ...

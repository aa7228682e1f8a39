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

    def body(self) -> JsonObject:
        """The JSON body of the request, as GraphQL over HTTP defines it."""
        body: JsonObject = {"query": self.query}
        if self.variables:
            body["variables"] = dict(self.variables)
        if self.operation_name:
            body["operationName"] = self.operation_name
        return body

    def identity(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        """What makes two requests interchangeable: subgraph, body and forwarded headers."""
        try:
            body = orjson.dumps(self.body(), default=str, option=orjson.OPT_SORT_KEYS).decode()
        except TypeError:  # an integer beyond 64 bits, say
            body = json.dumps(self.body(), sort_keys=True, separators=(",", ":"), default=str)
        headers = tuple(sorted((k.lower(), v) for k, v in self.headers.items()))
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

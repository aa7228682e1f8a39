"""The entity and response cache: a `SubgraphClient` around the one the executor sends through.

- `_entities` requests are split per representation: each entity is looked up under its
  subgraph, the subgraph's generation, the fetch's operation text (the selection), the other
  variables and the representation itself; only the misses go to the subgraph, and the answer is
  put back together in the order the executor asked.
- Other queries (root fetches) are looked up whole, under the operation text and variables.
- What is kept, and for how long, is what the subgraph's `Cache-Control` allows
  (`caching.policy`); an answer with errors is never kept. `private` answers are kept under the
  caller's subject and found only by that caller.
- A mutation bumps its subgraph's generation before it is sent and again after it answered, so
  no read that follows it, on any replica, finds an answer cached before it (a read racing the
  mutation caches under the generation in between, which the second bump retires).

Every lookup counts in `cache_hits_total` / `cache_misses_total{subgraph, type}` (`type`: the
entity's `__typename`, or `root`) and in the request's `CacheReport` (`cache_scope`), which the
pipeline shows as `extensions.cache`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import orjson
from prometheus_client import Counter

from gateway.caching.policy import CachePolicy, cache_policy
from gateway.caching.store import INVALIDATIONS, CacheStore
from gateway.transport.protocol import SubgraphClient, SubgraphRequest, SubgraphResponse

HITS = Counter("cache_hits", "Entity and root-field cache hits", ["subgraph", "type"])
MISSES = Counter("cache_misses", "Entity and root-field cache misses", ["subgraph", "type"])

REPRESENTATIONS = "representations"
ROOT = "root"


@dataclass
class CacheReport:
    """What of one request came from the cache."""

    #: the caller's subject (None: anonymous); private answers are kept for it alone
    subject: str | None = None
    hits: int = 0
    misses: int = 0
    #: `type` -> [hits, misses]
    by_type: dict[str, list[int]] = field(default_factory=dict)

    def count(self, subgraph: str, kind: str, hit: bool) -> None:
        (HITS if hit else MISSES).labels(subgraph, kind).inc()
        counts = self.by_type.setdefault(kind, [0, 0])
        if hit:
            self.hits += 1
            counts[0] += 1
        else:
            self.misses += 1
            counts[1] += 1

    def summary(self) -> dict[str, Any]:
        """`extensions.cache`: hits and misses, in all and by type."""
        return {
            "hits": self.hits,
            "misses": self.misses,
            "types": {kind: {"hits": h, "misses": m} for kind, (h, m) in self.by_type.items()},
        }


_REPORT: ContextVar[CacheReport | None] = ContextVar("gateway_cache_report", default=None)


@contextmanager
def cache_scope(subject: str | None) -> Iterator[CacheReport]:
    """Lookups made inside count in the report yielded, on behalf of `subject`."""
    report = CacheReport(subject)
    token = _REPORT.set(report)
    try:
        yield report
    finally:
        _REPORT.reset(token)


class CachingClient:
    """Answers from the cache what it may, asks `inner` for the rest."""

    def __init__(self, inner: SubgraphClient, store: CacheStore, *, default_ttl: int) -> None:
        self.inner = inner
        self.store = store
        self.default_ttl = default_ttl

    async def execute(self, request: SubgraphRequest) -> SubgraphResponse:
        if request.is_mutation:
            INVALIDATIONS.labels(request.subgraph, "mutation").inc()
            await self.store.bump(request.subgraph)
            try:
                return await self.inner.execute(request)
            finally:
                await self.store.bump(request.subgraph)
        report = _REPORT.get() or CacheReport()
        representations = request.variables.get(REPRESENTATIONS)
        if isinstance(representations, list) and "_entities" in request.query:
            return await self._entities(request, representations, report)
        return await self._root(request, report)

    async def _root(self, request: SubgraphRequest, report: CacheReport) -> SubgraphResponse:
        generation = await self.store.generation(request.subgraph)
        base = f"r:{request.subgraph}:{generation}:{_digest(request.query, request.variables)}"
        keys = _scoped(base, report.subject)
        found = next((v for v in await self.store.get_many(keys) if v is not None), None)
        report.count(request.subgraph, ROOT, found is not None)
        if found is not None:
            return SubgraphResponse(orjson.loads(found), owned=True)
        response = await self.inner.execute(request)
        policy = self._policy(response, report)
        if policy is not None and response.data is not None:
            key = keys[1] if policy.private else keys[0]
            await self.store.set_many([(key, orjson.dumps(response.data), policy.max_age)])
        return response

    async def _entities(
        self, request: SubgraphRequest, representations: list[Any], report: CacheReport
    ) -> SubgraphResponse:
        generation = await self.store.generation(request.subgraph)
        others = {k: v for k, v in request.variables.items() if k != REPRESENTATIONS}
        selection = _digest(request.query, others)
        bases = [
            f"e:{request.subgraph}:{generation}:{_typename(r)}:{selection}:{_digest('', r)}"
            for r in representations
        ]
        scoped = [_scoped(base, report.subject) for base in bases]
        values = await self.store.get_many([key for keys in scoped for key in keys])
        width = 2 if report.subject else 1
        entities: list[Any] = [None] * len(representations)
        missing: list[int] = []
        for index, rep in enumerate(representations):
            found = next((v for v in values[index * width : (index + 1) * width] if v), None)
            report.count(request.subgraph, _typename(rep), found is not None)
            if found is None:
                missing.append(index)
            else:
                entities[index] = orjson.loads(found)
        if not missing:
            return SubgraphResponse({"_entities": entities}, owned=True)
        if len(missing) == len(representations):
            asked = request
        else:
            subset = [representations[i] for i in missing]
            asked = dataclasses.replace(request, variables={**others, REPRESENTATIONS: subset})
        response = await self.inner.execute(asked)
        answered = (response.data or {}).get("_entities")
        if not isinstance(answered, list) or len(answered) != len(missing):
            return response  # let the executor report the broken answer as it does
        policy = self._policy(response, report)
        kept: list[tuple[str, bytes, int]] = []
        for position, index in enumerate(missing):
            entity = answered[position]
            entities[index] = entity
            if policy is not None and entity is not None:
                key = scoped[index][1] if policy.private else scoped[index][0]
                kept.append((key, orjson.dumps(entity), policy.max_age))
        await self.store.set_many(kept)
        if asked is request:
            return response
        if not response.owned:  # shared with other callers (de-duplicated): ours to change only
            entities = orjson.loads(orjson.dumps(entities))
        errors = tuple(_renumbered(error, missing) for error in response.errors)
        return SubgraphResponse({"_entities": entities}, errors, owned=True)

    def _policy(self, response: SubgraphResponse, report: CacheReport) -> CachePolicy | None:
        if response.errors or response.data is None:
            return None
        policy = cache_policy(response.cache_control, self.default_ttl)
        if policy is not None and policy.private and report.subject is None:
            return None  # private to whom? anonymous callers share nothing private
        return policy


def _scoped(base: str, subject: str | None) -> list[str]:
    """The public key of an entry, and the caller's own one when the caller is known."""
    keys = [f"{base}:pub"]
    if subject:
        keys.append(f"{base}:sub:{hashlib.sha256(subject.encode()).hexdigest()[:24]}")
    return keys


def _digest(text: str, value: Any) -> str:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    digest.update(orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=str))
    return digest.hexdigest()[:32]


def _typename(representation: Any) -> str:
    if isinstance(representation, dict):
        name = representation.get("__typename")
        if isinstance(name, str) and name.isidentifier():
            return name
    return "unknown"


def _renumbered(error: dict[str, Any], missing: list[int]) -> dict[str, Any]:
    """An error of the subset's answer with its `_entities` index turned back into the index
    the executor asked for."""
    path = error.get("path")
    if (
        isinstance(path, list)
        and len(path) >= 2
        and path[0] == "_entities"
        and isinstance(path[1], int)
        and 0 <= path[1] < len(missing)
    ):
        return {**error, "path": ["_entities", missing[path[1]], *path[2:]]}
    return error

"""The entity and response cache around a mock subgraph client: what is kept (as `Cache-Control`
allows), for whom, per entity and selection, how mutations retire it, and the store's switch to
its local copy while Redis fails (an injected clock, no network)."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from gateway.caching import (
    CachePolicy,
    CacheStore,
    CachingClient,
    LocalEntries,
    cache_policy,
    cache_scope,
)
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse

ENTITIES = (
    "query($representations: [_Any!]!) "
    "{ _entities(representations: $representations) { ... on Product { name } } }"
)
ROOT = "{ products { items { id name } } }"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def entities_request(*ids: str, headers: dict[str, str] | None = None) -> SubgraphRequest:
    reps = [{"__typename": "Product", "id": i} for i in ids]
    return SubgraphRequest("products", ENTITIES, {"representations": reps}, headers=headers or {})


def make(
    cache_control: str | None = "max-age=60, public", *, errors: tuple[Any, ...] = ()
) -> tuple[CachingClient, MockSubgraphClient, Clock]:
    def answer(request: SubgraphRequest) -> SubgraphResponse:
        if request.is_mutation:
            return SubgraphResponse({"updateProduct": {"id": "1"}})
        reps = request.variables.get("representations")
        if isinstance(reps, list):
            data = {"_entities": [{"name": f"P{r['id']}"} for r in reps]}
        else:
            data = {"products": {"items": [{"id": "1", "name": "P1"}]}}
        return SubgraphResponse(data, errors, owned=True, cache_control=cache_control)

    clock = Clock()
    inner = MockSubgraphClient(answer)
    store = CacheStore(LocalEntries(100, clock), clock=clock)
    return CachingClient(inner, store, default_ttl=300), inner, clock


@pytest.mark.parametrize(
    ("header", "policy"),
    [
        ("max-age=60, public", CachePolicy(60)),
        ("max-age=60", CachePolicy(60)),
        ("private, max-age=30", CachePolicy(30, private=True)),
        ("public, max-age=60, s-maxage=5", CachePolicy(5)),
        ("public", CachePolicy(300)),
        ("private", CachePolicy(300, private=True)),
        ("no-store", None),
        ("max-age=60, no-cache", None),
        ("max-age=0, public", None),
        ("max-age=abc, public", None),
        ("", None),
        (None, None),
    ],
)
def test_cache_control_says_what_may_be_kept(
    header: str | None, policy: CachePolicy | None
) -> None:
    assert cache_policy(header, 300) == policy


async def test_entities_are_kept_per_entity_and_only_misses_are_asked_for() -> None:
    client, inner, _ = make()
    with cache_scope(None) as first:
        response = await client.execute(entities_request("1", "2"))
    assert response.data == {"_entities": [{"name": "P1"}, {"name": "P2"}]}
    assert (first.hits, first.misses) == (0, 2)
    with cache_scope(None) as second:
        response = await client.execute(entities_request("2", "3", "1"))
    assert response.data == {"_entities": [{"name": "P2"}, {"name": "P3"}, {"name": "P1"}]}
    assert (second.hits, second.misses) == (2, 1)
    assert second.summary()["types"] == {"Product": {"hits": 2, "misses": 1}}
    assert inner.requests[-1].variables["representations"] == [{"__typename": "Product", "id": "3"}]
    with cache_scope(None) as third:
        await client.execute(entities_request("3", "1"))
    assert (third.hits, third.misses, len(inner.requests)) == (2, 0, 2)  # no subgraph call


async def test_another_selection_is_another_entry() -> None:
    client, inner, _ = make()
    await client.execute(entities_request("1"))
    other = SubgraphRequest(
        "products",
        ENTITIES.replace("{ name }", "{ name price }"),
        {"representations": [{"__typename": "Product", "id": "1"}]},
    )
    await client.execute(other)
    assert len(inner.requests) == 2


async def test_root_answers_are_kept_whole_until_they_expire() -> None:
    client, inner, clock = make("max-age=60")
    request = SubgraphRequest("products", ROOT)
    for _ in range(3):
        response = await client.execute(request)
        assert response.data == {"products": {"items": [{"id": "1", "name": "P1"}]}}
    assert len(inner.requests) == 1
    clock.now += 61
    await client.execute(request)
    assert len(inner.requests) == 2


@pytest.mark.parametrize("header", [None, "no-store", "max-age=0"])
async def test_nothing_is_kept_without_the_subgraph_s_leave(header: str | None) -> None:
    client, inner, _ = make(header)
    for _ in range(2):
        await client.execute(entities_request("1"))
        await client.execute(SubgraphRequest("products", ROOT))
    assert len(inner.requests) == 4


async def test_answers_with_errors_are_never_kept() -> None:
    client, inner, _ = make(errors=({"message": "boom", "path": ["_entities", 0]},))
    await client.execute(entities_request("1"))
    await client.execute(entities_request("1"))
    assert len(inner.requests) == 2


async def test_errors_of_a_partial_fetch_keep_the_executor_s_indexes() -> None:
    client, inner, _ = make()
    await client.execute(entities_request("1"))  # cached

    def failing(request: SubgraphRequest) -> SubgraphResponse:
        error = {"message": "gone", "path": ["_entities", 0, "name"]}
        return SubgraphResponse({"_entities": [None]}, (error,), owned=True)

    inner.handler = failing
    response = await client.execute(entities_request("1", "2"))
    assert response.data == {"_entities": [{"name": "P1"}, None]}
    assert response.errors[0]["path"] == ["_entities", 1, "name"]


async def test_private_answers_are_the_caller_s_alone() -> None:
    client, inner, _ = make("private, max-age=60")
    with cache_scope("user:1"):
        await client.execute(entities_request("1"))
        await client.execute(entities_request("1"))
    assert len(inner.requests) == 1
    with cache_scope("user:2") as other:
        await client.execute(entities_request("1"))
    assert (other.hits, len(inner.requests)) == (0, 2)
    with cache_scope(None):  # anonymous callers share nothing private
        await client.execute(entities_request("1"))
        await client.execute(entities_request("1"))
    assert len(inner.requests) == 4


async def test_public_answers_are_shared_by_every_caller() -> None:
    client, inner, _ = make()
    with cache_scope("user:1"):
        await client.execute(entities_request("1"))
    with cache_scope("user:2") as second:
        await client.execute(entities_request("1"))
    with cache_scope(None) as third:
        await client.execute(entities_request("1"))
    assert (second.hits, third.hits, len(inner.requests)) == (1, 1, 1)


async def test_a_mutation_retires_its_subgraph_s_answers() -> None:
    client, inner, _ = make()
    await client.execute(entities_request("1"))
    await client.execute(SubgraphRequest("products", ROOT))
    other_subgraph = SubgraphRequest("orders", ROOT)
    await client.execute(other_subgraph)
    assert len(inner.requests) == 3
    mutation = SubgraphRequest("products", "mutation { updateProduct }", is_mutation=True)
    await client.execute(mutation)
    await client.execute(mutation)  # mutations are never answered from the cache
    assert len(inner.requests) == 5
    await client.execute(entities_request("1"))
    await client.execute(SubgraphRequest("products", ROOT))
    await client.execute(other_subgraph)  # another subgraph's answers stay
    assert len(inner.requests) == 7


class FlakyRedis:
    """Stands in for redis-py's client: dicts, or failures while `down`."""

    def __init__(self) -> None:
        self.down = False
        self.calls = 0
        self.values: dict[str, bytes] = {}

    def _call(self) -> None:
        self.calls += 1
        if self.down:
            raise RedisConnectionError("connection refused")

    async def get(self, key: str) -> bytes | None:
        self._call()
        return self.values.get(key)

    async def incr(self, key: str) -> int:
        self._call()
        value = int(self.values.get(key, b"0")) + 1
        self.values[key] = str(value).encode()
        return value

    async def mget(self, keys: list[str]) -> list[bytes | None]:
        self._call()
        return [self.values.get(key) for key in keys]

    @asynccontextmanager
    async def pipeline(self, transaction: bool = False) -> Any:
        redis = self

        class Pipe:
            def __init__(self) -> None:
                self.sets: list[tuple[str, bytes]] = []

            def set(self, key: str, value: bytes, ex: int) -> None:
                self.sets.append((key, value))

            async def execute(self) -> None:
                redis._call()
                redis.values.update(self.sets)

        yield Pipe()

    async def aclose(self) -> None:
        pass


async def test_the_store_goes_local_while_redis_fails_and_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock, redis = Clock(), FlakyRedis()
    store = CacheStore(LocalEntries(100, clock), redis, prefix="t:", retry_interval=5, clock=clock)  # type: ignore[arg-type]
    await store.set_many([("a", b"A", 60)])
    assert redis.values == {"t:a": b"A"}
    assert await store.get_many(["a", "b"]) == [b"A", None]
    await store.bump("products")
    assert await store.generation("products") == 1

    redis.down = True
    with caplog.at_level(logging.INFO, logger="gateway.caching.store"):
        assert await store.get_many(["a"]) == [None]  # the local copy has nothing yet
        await store.set_many([("a", b"local", 60)])
        assert await store.get_many(["a"]) == [b"local"]
        await store.bump("products")  # counted here alone while Redis is down
        assert store.backend == "local"
        calls = redis.calls
        await store.generation("products")
        assert redis.calls == calls  # no Redis call until the retry time

        clock.now += 5
        redis.down = False
        assert await store.get_many(["a"]) == [b"A"]  # shared again
        assert store.backend == "redis"
    messages = [record.getMessage() for record in caplog.records]
    assert sum("Redis unreachable" in m for m in messages) == 1
    assert sum("Redis answers again" in m for m in messages) == 1


async def test_the_local_store_is_bounded() -> None:
    local = LocalEntries(2)
    for key in "abc":
        local.set(key, key.encode(), 60)
    assert (local.get("a"), local.get("c"), len(local)) == (None, b"c", 2)


async def test_a_shared_answer_is_copied_before_it_is_handed_over() -> None:
    client, inner, _ = make()
    await client.execute(entities_request("1"))  # cached
    shared = {"_entities": [{"name": "P2"}]}

    def dedup_shared(request: SubgraphRequest) -> SubgraphResponse:
        return SubgraphResponse(shared, owned=False, cache_control="max-age=60")

    inner.handler = dedup_shared
    response = await client.execute(entities_request("1", "2"))
    assert response.owned and response.data == {"_entities": [{"name": "P1"}, {"name": "P2"}]}
    response.data["_entities"][1]["name"] = "changed by the executor"
    assert shared == {"_entities": [{"name": "P2"}]}

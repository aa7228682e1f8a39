"""Persisted queries: the APQ protocol, the safelist, manifests in both formats, and the document
store's switch to its local copy while Redis fails (an injected clock, no network)."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from common.errors import ConfigurationError
from common.settings import GatewaySettings
from devstack.processes import ROOT
from gateway.policy.errors import PolicyError
from gateway.policy.persisted_documents import LocalDocuments, SharedDocuments
from gateway.policy.persisted_queries import (
    NOT_FOUND_HEADERS,
    PersistedQueries,
    load_manifest,
    persisted_hash,
    persisted_queries,
)

QUERY = "{ users { id } }"
OTHER = "{ users { name } }"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def ext(text_or_hash: str, *, is_hash: bool = False) -> dict[str, object]:
    value = text_or_hash if is_hash else sha(text_or_hash)
    return {"persistedQuery": {"version": 1, "sha256Hash": value}}


async def refusal(policy: PersistedQueries, query: str | None, extensions: object) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        await policy.resolve(query, extensions)  # type: ignore[arg-type]
    return caught.value


async def test_apq_registers_a_document_then_runs_it_by_hash() -> None:
    policy = PersistedQueries("apq")
    miss = await refusal(policy, "", ext(QUERY))
    assert (miss.status, miss.code, miss.message) == (
        200,
        "PERSISTED_QUERY_NOT_FOUND",
        "PersistedQueryNotFound",
    )
    assert miss.headers == NOT_FOUND_HEADERS  # no cache keeps the miss
    assert await policy.resolve(QUERY, ext(QUERY)) == QUERY  # registered
    assert await policy.resolve("", ext(QUERY)) == QUERY
    upper = {"persistedQuery": {"version": 1, "sha256Hash": sha(QUERY).upper()}}
    assert await policy.resolve(None, upper) == QUERY  # hex digits in either case
    assert await policy.resolve(OTHER, {}) == OTHER  # a plain request runs as usual


async def test_apq_refuses_a_hash_that_is_not_the_query_s_and_registers_nothing() -> None:
    policy = PersistedQueries("apq")
    error = await refusal(policy, OTHER, ext(QUERY))
    assert (error.status, error.code) == (400, "PERSISTED_QUERY_HASH_MISMATCH")
    assert sha(QUERY) not in error.message and OTHER not in error.message
    assert (await refusal(policy, None, ext(QUERY))).code == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": "a" * 64}},
        {"persistedQuery": {"sha256Hash": "a" * 64}},
        {"persistedQuery": "a" * 64},
        {"persistedQuery": {"version": 1, "sha256Hash": "a" * 63}},
        {"persistedQuery": {"version": 1, "sha256Hash": "g" * 64}},
        {"persistedQuery": {"version": 1, "sha256Hash": 7}},
    ],
)
async def test_a_malformed_persisted_query_is_a_400_that_repeats_nothing(
    extensions: dict[str, object],
) -> None:
    error = await refusal(PersistedQueries("apq"), None, extensions)
    assert (error.status, error.code) == (400, "BAD_PERSISTED_QUERY")
    assert "a" * 63 not in error.message and "ggg" not in error.message


async def test_off_refuses_hashes_and_runs_plain_documents() -> None:
    policy = PersistedQueries("off")
    for query in (None, QUERY):
        error = await refusal(policy, query, ext(QUERY))
        assert (error.status, error.code) == (400, "PERSISTED_QUERY_NOT_SUPPORTED")
    assert await policy.resolve(QUERY, {}) == QUERY
    assert (await refusal(policy, "", {})).code == "BAD_REQUEST"


async def test_the_safelist_runs_only_the_manifest_s_operations() -> None:
    policy = PersistedQueries("safelist", manifest={sha(QUERY): QUERY})
    assert await policy.resolve(None, ext(QUERY)) == QUERY  # by id
    assert await policy.resolve(QUERY, ext(QUERY)) == QUERY  # by id, the same text along
    assert await policy.resolve(QUERY, {}) == QUERY  # the trusted text itself
    unknown = await refusal(policy, None, ext(OTHER))
    assert (unknown.status, unknown.code) == (404, "PERSISTED_QUERY_NOT_IN_LIST")
    assert sha(OTHER) not in unknown.message
    # registering through APQ is no way in: the document is not trusted
    registered = await refusal(policy, OTHER, ext(OTHER))
    assert (registered.status, registered.code) == (404, "PERSISTED_QUERY_NOT_IN_LIST")
    freeform = await refusal(policy, OTHER, {})
    assert (freeform.status, freeform.code) == (403, "QUERY_NOT_IN_SAFELIST")
    assert OTHER not in freeform.message
    swapped = await refusal(policy, OTHER, ext(QUERY))  # a trusted id with another text
    assert (swapped.status, swapped.code) == (400, "PERSISTED_QUERY_HASH_MISMATCH")


def test_a_safelist_needs_operations() -> None:
    with pytest.raises(ValueError, match="manifest"):
        PersistedQueries("safelist", manifest={})


def test_persisted_hash_is_none_without_the_extension() -> None:
    assert persisted_hash({}) is None
    assert persisted_hash({"other": 1}) is None


def test_manifests_in_apollo_s_and_codegen_s_formats(tmp_path: Path) -> None:
    apollo = tmp_path / "apollo.json"
    apollo.write_text(
        json.dumps(
            {
                "format": "apollo-persisted-query-manifest",
                "version": 1,
                "operations": [{"id": sha(QUERY), "body": QUERY, "name": "U", "type": "query"}],
            }
        )
    )
    assert load_manifest(apollo) == {sha(QUERY): QUERY}
    codegen = tmp_path / "persisted-documents.json"
    codegen.write_text(json.dumps({f"sha256:{sha(QUERY)}": QUERY, sha(OTHER).upper(): OTHER}))
    assert load_manifest(codegen) == {sha(QUERY): QUERY, sha(OTHER): OTHER}


def test_the_spa_s_manifest_is_usable() -> None:
    manifest = load_manifest(ROOT / "frontend" / "src" / "gql" / "persisted-documents.json")
    assert len(manifest) > 10
    assert all(sha(body) == key for key, body in manifest.items())


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("not json", "is not JSON"),
        ("[1, 2]", "expected an Apollo persisted-query manifest"),
        ('{"format": "apollo-persisted-query-manifest", "version": 2}', "version: 1"),
        ('{"abc": "{ a }"}', "SHA-256 id"),
        (json.dumps({"a" * 64: QUERY}), "is not the SHA-256 of its body"),
    ],
)
def test_a_broken_manifest_stops_start_up_naming_the_variable(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(content)
    with pytest.raises(ConfigurationError) as caught:
        load_manifest(path)
    assert "GATEWAY_PERSISTED_QUERIES_MANIFEST" in str(caught.value)
    assert problem in str(caught.value)


def test_settings_build_the_policy(tmp_path: Path) -> None:
    missing = tmp_path / "none.json"
    policy, _ = persisted_queries(GatewaySettings(persisted_queries_manifest=missing))
    assert (policy.mode, policy.manifest) == ("apq", {})  # apq without a manifest file
    with pytest.raises(ConfigurationError, match="cannot read"):
        persisted_queries(
            GatewaySettings(persisted_queries="safelist", persisted_queries_manifest=missing)
        )
    empty = tmp_path / "empty.json"
    empty.write_text("{}")
    with pytest.raises(ConfigurationError, match="lists no operation"):
        persisted_queries(
            GatewaySettings(persisted_queries="safelist", persisted_queries_manifest=empty)
        )


async def test_the_local_store_keeps_the_most_recently_used_documents() -> None:
    store = LocalDocuments(capacity=2)
    await store.put("a", "A")
    await store.put("b", "B")
    assert await store.get("a") == "A"  # a is now the most recent
    await store.put("c", "C")
    assert (await store.get("a"), await store.get("b"), await store.get("c")) == ("A", None, "C")
    assert len(store) == 2


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class FlakyRedis:
    """Stands in for `RedisDocuments`: a dict, or failures while `down`."""

    def __init__(self) -> None:
        self.down = False
        self.calls = 0
        self.documents: dict[str, str] = {}

    async def get(self, sha256: str) -> str | None:
        self.calls += 1
        if self.down:
            raise RedisConnectionError("connection refused")
        return self.documents.get(sha256)

    async def put(self, sha256: str, document: str) -> None:
        self.calls += 1
        if self.down:
            raise RedisConnectionError("connection refused")
        self.documents[sha256] = document

    async def aclose(self) -> None:
        pass


async def test_documents_are_local_while_redis_fails_and_shared_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock, redis = Clock(), FlakyRedis()
    store = SharedDocuments(LocalDocuments(10), redis, retry_interval=5, clock=clock)  # type: ignore[arg-type]
    await store.put("a", "A")
    assert redis.documents == {"a": "A"} and store.backend == "redis"
    redis.documents["elsewhere"] = "E"  # registered by another replica
    assert await store.get("elsewhere") == "E"

    redis.down = True
    with caplog.at_level(logging.INFO, logger="gateway.policy.persisted_documents"):
        assert await store.get("a") == "A"  # the local copy answers
        await store.put("b", "B")
        assert await store.get("b") == "B"
        assert redis.calls == 3  # one failed call, then none until the retry time
        assert store.backend == "local" and "connection refused" in (store.last_error or "")

        clock.now += 5
        redis.down = False
        assert await store.get("elsewhere") == "E"  # the probe succeeds: shared again
        assert store.backend == "redis" and store.last_error is None
    messages = [record.getMessage() for record in caplog.records]
    assert sum("Redis unreachable" in m for m in messages) == 1
    assert sum("Redis answers again" in m for m in messages) == 1

"""Persisted queries: Apollo's automatic persisted queries (APQ) and a safelist of trusted
operations, as `GATEWAY_PERSISTED_QUERIES` says (docs/persisted-queries.md).

A request names a persisted document with `extensions.persistedQuery = {"version": 1,
"sha256Hash": "<hex SHA-256 of the document text>"}`, in a POST body or in GET's `extensions`
parameter, with or without `query`. `resolve` turns a request into the document text to run,
before anything is parsed:

- `off`: documents come only as `query`; a request naming a hash is refused
  (`PERSISTED_QUERY_NOT_SUPPORTED`, 400), so a client such as Apollo Client's persisted-query
  link turns the feature off and sends full documents.
- `apq` (the default): a hash alone runs the document registered under it (the manifest's, else
  the shared store's) or answers `PERSISTED_QUERY_NOT_FOUND` with HTTP 200, as Apollo Router and
  Apollo Server do, and the client sends the hash again with `query`: the gateway checks the
  hash (`PERSISTED_QUERY_HASH_MISMATCH`, 400), registers the document for every replica and runs
  it. Requests without a hash run as usual.
- `safelist`: only the operations of the manifest run, named by their id
  (`PERSISTED_QUERY_NOT_IN_LIST`, 404, for another id) or sent as exactly the manifest's text
  (`QUERY_NOT_IN_SAFELIST`, 403, for any other document); nothing is registered.

The manifest is the file Apollo's `generate-persisted-query-manifest` writes
(`{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "body",
...}]}`) or GraphQL Code Generator's `persisted-documents.json` (`{"sha256:<hex>": "<document>"}`;
the SPA's build writes one, frontend/src/gql/). Errors never repeat the client's hash or text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from prometheus_client import Counter

from common.errors import ConfigurationError
from common.redis_fallback import gateway_redis_client
from common.settings import GatewaySettings
from gateway.policy.errors import PolicyError
from gateway.policy.persisted_documents import (
    DocumentStore,
    LocalDocuments,
    RedisDocuments,
    SharedDocuments,
)

Mode = Literal["off", "apq", "safelist"]
MODES: tuple[Mode, ...] = ("off", "apq", "safelist")

#: the hash names no document this gateway knows (HTTP 200: the client sends the query next)
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
#: the SHA-256 of `query` is not the hash sent with it (400)
PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
#: persisted queries are off (`GATEWAY_PERSISTED_QUERIES=off`) (400)
PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
#: safelist: the id is not one of the manifest's (404)
PERSISTED_QUERY_NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"
#: safelist: a document that is not the text of a trusted operation (403)
QUERY_NOT_IN_SAFELIST = "QUERY_NOT_IN_SAFELIST"
#: `extensions.persistedQuery` is not `{"version": 1, "sha256Hash": "<64 hex digits>"}` (400)
BAD_PERSISTED_QUERY = "BAD_PERSISTED_QUERY"

#: sent with `PERSISTED_QUERY_NOT_FOUND`: no cache may keep the miss, the document is coming
NOT_FOUND_HEADERS = {"Cache-Control": "private, no-cache, must-revalidate"}
APOLLO_MANIFEST_FORMAT = "apollo-persisted-query-manifest"

_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")

LOOKUPS = Counter(
    "gateway_persisted_queries_total",
    "Requests naming a persisted query, by result (hit, miss, registered, refused)",
    ["result"],
)


class PersistedQueries:
    """Turns a request's `query` and `extensions` into the document to run, as the mode says."""

    def __init__(
        self,
        mode: Mode = "apq",
        *,
        documents: DocumentStore | None = None,
        manifest: Mapping[str, str] | None = None,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown persisted-query mode {mode!r}")
        if mode == "safelist" and not manifest:
            raise ValueError("a safelist needs a manifest with at least one operation")
        self.mode = mode
        self.documents: DocumentStore = documents or LocalDocuments()
        #: trusted operations: lowercase hex SHA-256 (the manifest's id) -> document text
        self.manifest: dict[str, str] = {
            key.lower(): body for key, body in (manifest or {}).items()
        }
        self._trusted_texts = frozenset(self.manifest.values())

    async def resolve(self, query: str | None, extensions: Mapping[str, Any]) -> str:
        """The document text to run; `PolicyError` when the request may not run."""
        sha256 = persisted_hash(extensions)
        text = query if query else None
        if self.mode == "off":
            if sha256 is not None:
                raise _refused(
                    400,
                    PERSISTED_QUERY_NOT_SUPPORTED,
                    "PersistedQueryNotSupported: this gateway runs documents sent as `query` "
                    "only; send the document without `extensions.persistedQuery`.",
                )
            return _required(text)
        if self.mode == "safelist":
            return self._trusted(text, sha256)
        if sha256 is None:
            return _required(text)
        if text is not None:
            if _sha256(text) != sha256:
                raise _refused(
                    400,
                    PERSISTED_QUERY_HASH_MISMATCH,
                    "provided sha does not match query: `sha256Hash` must be the hex SHA-256 "
                    "of the `query` text, UTF-8 encoded.",
                )
            if sha256 not in self.manifest:
                await self.documents.put(sha256, text)
            LOOKUPS.labels("registered").inc()
            return text
        document = self.manifest.get(sha256) or await self.documents.get(sha256)
        if document is None:
            LOOKUPS.labels("miss").inc()
            raise PolicyError(
                200,
                PERSISTED_QUERY_NOT_FOUND,
                "PersistedQueryNotFound",
                headers=dict(NOT_FOUND_HEADERS),
            )
        LOOKUPS.labels("hit").inc()
        return document

    def _trusted(self, text: str | None, sha256: str | None) -> str:
        if sha256 is not None:
            document = self.manifest.get(sha256)
            if document is None:
                raise _refused(
                    404,
                    PERSISTED_QUERY_NOT_IN_LIST,
                    "This gateway runs only its trusted operations "
                    "(GATEWAY_PERSISTED_QUERIES=safelist) and no trusted operation has this id; "
                    "rebuild the client against the current manifest.",
                )
            if text is not None and text != document:
                raise _refused(
                    400,
                    PERSISTED_QUERY_HASH_MISMATCH,
                    "The `query` sent is not the trusted operation with this id; send the id "
                    "alone.",
                )
            LOOKUPS.labels("hit").inc()
            return document
        if text is not None and text in self._trusted_texts:
            LOOKUPS.labels("hit").inc()
            return text
        raise _refused(
            403,
            QUERY_NOT_IN_SAFELIST,
            "This gateway runs only its trusted operations (GATEWAY_PERSISTED_QUERIES=safelist); "
            "send the id of an operation of its manifest as "
            "`extensions.persistedQuery.sha256Hash`.",
        )


def persisted_hash(extensions: Mapping[str, Any]) -> str | None:
    """The lowercase hash `extensions.persistedQuery` names (None: none); `PolicyError` (400)
    when it is there but not version 1 with 64 hex digits."""
    if "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise _refused(
            400,
            BAD_PERSISTED_QUERY,
            'Unsupported persisted query version: send `{"version": 1, "sha256Hash": "<hex '
            'SHA-256 of the document>"}` as `extensions.persistedQuery`.',
        )
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise _refused(
            400,
            BAD_PERSISTED_QUERY,
            "`extensions.persistedQuery.sha256Hash` must be 64 hexadecimal digits: the SHA-256 "
            "of the document text, UTF-8 encoded.",
        )
    return sha256.lower()


def load_manifest(path: Path) -> dict[str, str]:
    """The operations of a manifest file, id -> document text; `ConfigurationError` naming the
    file when it cannot be read or is in neither known format."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(
            [f"GATEWAY_PERSISTED_QUERIES_MANIFEST: cannot read {path}: {exc}"]
        ) from None
    except ValueError as exc:
        raise ConfigurationError(
            [f"GATEWAY_PERSISTED_QUERIES_MANIFEST: {path} is not JSON ({exc})"]
        ) from None
    problem = f"GATEWAY_PERSISTED_QUERIES_MANIFEST: {path}"
    if isinstance(content, dict) and content.get("format") == APOLLO_MANIFEST_FORMAT:
        operations = content.get("operations")
        if content.get("version") != 1 or not isinstance(operations, list):
            raise ConfigurationError(
                [f"{problem}: an Apollo manifest needs `version: 1` and a list of `operations`"]
            )
        pairs = [
            (op.get("id"), op.get("body")) if isinstance(op, dict) else (None, None)
            for op in operations
        ]
    elif isinstance(content, dict):
        pairs = list(content.items())
    else:
        raise ConfigurationError(
            [f"{problem}: expected an Apollo persisted-query manifest or {{id: document}}"]
        )
    manifest: dict[str, str] = {}
    for raw_key, body in pairs:
        # GraphQL Code Generator names its ids `sha256:<hex>`
        key = raw_key.removeprefix("sha256:") if isinstance(raw_key, str) else raw_key
        if not isinstance(key, str) or not _SHA256.match(key) or not isinstance(body, str):
            raise ConfigurationError(
                [f"{problem}: every operation needs a SHA-256 id (64 hex digits) and a text body"]
            )
        if _sha256(body) != key.lower():
            raise ConfigurationError(
                [f"{problem}: an operation's id is not the SHA-256 of its body (sha256 ids only)"]
            )
        manifest[key.lower()] = body
    return manifest


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _required(text: str | None) -> str:
    if text is None:
        raise PolicyError(400, "BAD_REQUEST", "The request has no GraphQL `query` string.")
    return text


def _refused(status: int, code: str, message: str) -> PolicyError:
    LOOKUPS.labels("refused").inc()
    return PolicyError(status, code, message)


def persisted_queries(settings: GatewaySettings) -> tuple[PersistedQueries, SharedDocuments]:
    """The persisted-query policy `settings` ask for, and its document store (to close at
    shutdown): shared through Redis when `REDIS_ENABLED=true`, else local to this process.
    `ConfigurationError` when `safelist` has no usable manifest."""
    path = settings.persisted_queries_manifest
    manifest: dict[str, str] = {}
    if settings.persisted_queries == "safelist" or (
        settings.persisted_queries == "apq" and path.is_file()
    ):
        manifest = load_manifest(path)
    if settings.persisted_queries == "safelist" and not manifest:
        raise ConfigurationError(
            [
                f"GATEWAY_PERSISTED_QUERIES_MANIFEST: {path} lists no operation; a safelist of "
                "nothing would refuse every request"
            ]
        )
    redis = None
    if settings.redis_enabled and settings.persisted_queries == "apq":
        client = gateway_redis_client(settings, timeout=settings.rate_limit_redis_timeout)
        redis = RedisDocuments(
            client,
            prefix=settings.persisted_queries_prefix,
            ttl_seconds=settings.persisted_queries_ttl_seconds,
        )
    documents = SharedDocuments(
        LocalDocuments(settings.persisted_queries_local_size),
        redis,
        retry_interval=settings.rate_limit_redis_retry,
    )
    policy = PersistedQueries(settings.persisted_queries, documents=documents, manifest=manifest)
    return policy, documents

"""`Idempotency-Key` on the REST shims' writes: a retried request answers as the first did.

`Idempotency.run(request, key, body, act)` claims the caller's key for this request (method,
path and body), runs `act` once, keeps its answer and replays it to retries (with
`Idempotent-Replayed: true`). The same key with another request is 422, a retry while the
first is still running 409, a store out of reach 503 (the request is not run unguarded).

Which answers are kept: successes and the client errors that say something about the request
itself (403, 404, 409, 422). Refusals that say nothing of it (401, 429), server errors (5xx:
the subgraph may be back on the next try) and the refusals an endpoint names transient ("not
yet, retry shortly") release the key so a retry runs afresh.

The key also goes to the subgraph with the write (`with_key`: the mutation's `idempotencyKey`),
which keeps it with what it wrote: a retry whose first answer was lost (a 5xx after the commit,
a gateway that died) answers the first order or payment instead of acting again. This store is
the cache of answers in front of that guarantee.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Header
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from common.logging import get_logger
from gateway.rest.envelope import failure
from gateway.rest.idempotency import (
    IdempotencyStore,
    IdempotencyUnavailable,
    InFlight,
    Mismatch,
    Replay,
    StoredAnswer,
    fingerprint,
)
from gateway.rest.results import ShimFailure
from gateway.rest.runner import CallerScope

logger = get_logger(__name__)

REPLAYED_HEADER = "Idempotent-Replayed"
#: The answers' headers a replay repeats.
_KEPT_HEADERS = ("location", "content-type")
#: Client errors that depend on who asks or how often, not on the request: never kept.
_NOT_KEPT = frozenset({401, 408, 429})

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[\x21-\x7e]+$",
        description="A unique key of your choosing (a UUID) to make retries of this request "
        "safe: a retry with the same key and body answers as the first request did, for 24 "
        "hours. Printable ASCII, at most 255 characters.",
        examples=["5f2b1c9e-2a52-4c1e-9a57-0d6f0c3b9d11"],
    ),
]
Act = Callable[[], Awaitable[Response]]


def with_key(variables: dict[str, Any], key: str | None) -> dict[str, Any]:
    """GraphQL variables (an input object, or a mutation's arguments) carrying the request's
    `Idempotency-Key` as `idempotencyKey`, when there is one."""
    return variables if key is None else {**variables, "idempotencyKey": key}


class Idempotency:
    """Runs keyed requests once per caller and key, with `store` keeping the answers."""

    def __init__(self, store: IdempotencyStore, scope_of: CallerScope) -> None:
        self.store = store
        self.scope_of = scope_of

    async def run(
        self,
        request: Request,
        key: str | None,
        body: BaseModel | None,
        act: Act,
        transient: frozenset[int] = frozenset(),
    ) -> Response:
        """`act()`'s answer, or the first answer to this key. Answers with a status in
        `transient` (refusals that say "not yet, retry shortly") are not kept either."""
        scope = await self.scope_of(request) if key is not None else None
        if key is None or scope is None:  # no key, or a token that is not valid: act says 401
            return await _answer(act)
        request_print = fingerprint(
            request.method, request.url.path, body.model_dump(mode="json") if body else None
        )
        try:
            claim = await self.store.claim(scope, key, request_print)
        except IdempotencyUnavailable as exc:
            return _unavailable(exc)
        if isinstance(claim, Replay):
            return _replay(claim.answer)
        if isinstance(claim, InFlight):
            return failure(
                409,
                "IDEMPOTENCY_KEY_IN_USE",
                "A request with this Idempotency-Key is still being served; retry when it has "
                "finished to get its answer.",
            )
        if isinstance(claim, Mismatch):
            return failure(
                422,
                "IDEMPOTENCY_KEY_REUSED",
                "This Idempotency-Key was used with another request; send a new key for a new "
                "request.",
                {"field": "Idempotency-Key"},
            )
        try:
            response = await _answer(act)
        except BaseException:
            await asyncio.shield(self._release(scope, key, request_print))
            raise
        status = response.status_code
        if status < 500 and status not in _NOT_KEPT and status not in transient:
            await asyncio.shield(self._complete(scope, key, request_print, response))
        else:
            await asyncio.shield(self._release(scope, key, request_print))
        return response

    async def _complete(self, scope: str, key: str, request_print: str, response: Response) -> None:
        headers = {k: v for k, v in response.headers.items() if k.lower() in _KEPT_HEADERS}
        answer = StoredAnswer(response.status_code, bytes(response.body), headers)
        try:
            await self.store.complete(scope, key, request_print, answer)
        except IdempotencyUnavailable as exc:
            # The effect happened and the client gets its answer; a retry after the claim's
            # lock may run again. Loud in the log, as an operator must know.
            logger.error("idempotent answer not stored: %s", exc)

    async def _release(self, scope: str, key: str, request_print: str) -> None:
        try:
            await self.store.release(scope, key, request_print)
        except IdempotencyUnavailable as exc:
            logger.warning("idempotency claim not released (it expires by itself): %s", exc)


async def _answer(act: Act) -> Response:
    try:
        return await act()
    except ShimFailure as failed:
        return failed.response


def _replay(answer: StoredAnswer) -> Response:
    headers = {**answer.headers, REPLAYED_HEADER: "true"}
    media_type = headers.pop("content-type", "application/json")
    return Response(answer.body, status_code=answer.status, headers=headers, media_type=media_type)


def _unavailable(exc: IdempotencyUnavailable) -> Response:
    logger.warning("idempotency store unavailable: %s", exc)
    return failure(
        503,
        "IDEMPOTENCY_UNAVAILABLE",
        "Requests with an Idempotency-Key cannot be served right now; retry later with the "
        "same key.",
        headers={"Retry-After": "1"},
    )

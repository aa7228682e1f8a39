"""One client subscription, whatever it came in by (WebSocket or SSE): checked, admitted under
the limits, streamed, and ended early when the gateway closes it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass

from graphql import OperationType

from common.auth import INTERNAL_TOKEN_HEADER, Identity
from gateway.app.callers import CallerResolver
from gateway.app.params import GraphQLParams
from gateway.app.pipeline import prepare_operation, run_graphql
from gateway.app.state import Gateway
from gateway.app.subscriptions.registry import SubscriptionRegistry, closed_error
from gateway.app.subscriptions.stream import SubscriptionRun
from gateway.execution import GraphQLResponse
from gateway.policy.errors import PolicyError
from gateway.policy.rate_limiter import RateLimiter

#: responses an event stream may hold for a client that reads slowly
BUFFERED_RESPONSES = 64


@dataclass(frozen=True)
class Client:
    """Who subscribes: the verified identity, the token it was verified from, its address."""

    identity: Identity | None
    authorization: str | None
    address: str

    @property
    def key(self) -> str:
        """The client the per-client limit counts for: its subject, else its address."""
        subject = self.identity.subject if self.identity is not None else None
        return f"sub:{subject}" if subject else f"addr:{self.address}"


@dataclass(frozen=True)
class Subscriber:
    """What serving subscriptions needs from the app."""

    callers: CallerResolver
    registry: SubscriptionRegistry
    limiter: RateLimiter | None = None

    async def identify(self, authorization: str | None, address: str) -> Client:
        """The client behind a token (None: anonymous); `PolicyError` (401) for a bad one."""
        identity = await self.callers.authenticator.identify(authorization)
        return Client(identity, authorization, address)

    async def open(
        self, gateway: Gateway, params: GraphQLParams, client: Client, on_connection: int
    ) -> AsyncGenerator[GraphQLResponse, None] | Responses:
        """The responses of one operation: one for a query or mutation, one per event for a
        subscription; `aclose()` them when done. Raises `PolicyError` when it is refused
        (before anything is sent)."""
        rate_limit = None
        if self.limiter is not None:
            subject = client.identity.subject if client.identity is not None else None
            rate_limit = self.limiter.for_request(client.address, subject)
        prepared = await prepare_operation(
            gateway, params, rate_limit=rate_limit, identity=client.identity
        )
        if prepared.operation.operation != OperationType.SUBSCRIPTION:
            return self._once(gateway, params, client)

        async def reauthorize() -> None:
            await self.identify(client.authorization, client.address)

        run = SubscriptionRun(
            gateway,
            prepared,
            params.variables,
            headers=lambda: self._headers(client),
            reauthorize=reauthorize,
            reconnect_attempts=self.registry.limits.reconnect_attempts,
        )
        closing: asyncio.Queue[str] = asyncio.Queue(maxsize=1)

        def close(reason: str) -> None:
            with contextlib.suppress(asyncio.QueueFull):
                closing.put_nowait(reason)

        admitted = self.registry.admit(client.key, on_connection, gateway, close)
        admitted.__enter__()  # raises over a limit
        release = _Once(lambda: admitted.__exit__(None, None, None))
        return Responses(_stream(run, closing, release), release)

    async def _once(
        self, gateway: Gateway, params: GraphQLParams, client: Client
    ) -> AsyncGenerator[GraphQLResponse, None]:
        yield await run_graphql(
            gateway,
            params,
            forwarded_headers=self._headers(client),
            identity=client.identity,
            client_address=client.address,
        )

    def _headers(self, client: Client) -> dict[str, str]:
        return {INTERNAL_TOKEN_HEADER: self.callers.internal_tokens.issue(client.identity)}


class _Once:
    """Calls `action` the first time it is called, never again."""

    def __init__(self, action: Callable[[], object]) -> None:
        self.action: Callable[[], object] | None = action

    def __call__(self) -> None:
        action, self.action = self.action, None
        if action is not None:
            action()


class Responses:
    """A subscription's responses; `aclose()` frees its slot even when it was never read (an
    async generator that never started runs no `finally`)."""

    def __init__(self, stream: AsyncGenerator[GraphQLResponse, None], release: _Once) -> None:
        self._stream = stream
        self._release = release

    def __aiter__(self) -> Responses:
        return self

    async def __anext__(self) -> GraphQLResponse:
        return await anext(self._stream)

    async def aclose(self) -> None:
        """End the subscription and free its slot."""
        try:
            await self._stream.aclose()
        finally:
            self._release()


async def _stream(
    run: SubscriptionRun, closing: asyncio.Queue[str], release: Callable[[], object]
) -> AsyncGenerator[GraphQLResponse, None]:
    """The run's responses until it ends or the gateway closes it (then one last error)."""
    queue: asyncio.Queue[GraphQLResponse | None] = asyncio.Queue(BUFFERED_RESPONSES)
    pump = asyncio.create_task(_pump(run, queue))
    closer = asyncio.create_task(closing.get())
    try:
        while True:
            getter = asyncio.create_task(queue.get())
            done, _ = await asyncio.wait({getter, closer}, return_when=asyncio.FIRST_COMPLETED)
            if closer in done:
                getter.cancel()
                yield {"data": None, "errors": [closed_error(closer.result())]}
                return
            response = getter.result()
            if response is None:
                return
            yield response
    finally:
        release()
        for task in (pump, closer):
            task.cancel()
        await asyncio.gather(pump, closer, return_exceptions=True)


async def _pump(run: SubscriptionRun, queue: asyncio.Queue[GraphQLResponse | None]) -> None:
    """Move the run's responses into `queue`, then None (not when cancelled: the reader did)."""
    try:
        async for response in run.events():
            await queue.put(response)
    except PolicyError as exc:  # the token expired, or the client may no longer subscribe
        await queue.put({"data": None, "errors": exc.body()["errors"]})
    await queue.put(None)

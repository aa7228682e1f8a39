"""A planned subscription, event by event: the root fetch's payloads from the subgraph's
WebSocket, the rest of the plan through the normal executor.

The executor runs the whole plan for each event; its client (`EventClient`) answers the root
fetch with the event the subgraph sent and passes every other fetch (`_entities` for the order's
`user`, its items' `product`...) to the gateway's own client: batched, de-duplicated, behind the
breakers. Every event is authorized again: the client's token is verified anew (an expired one
ends the subscription with UNAUTHENTICATED), the fields the caller may not see stay out, and the
subgraphs apply their own rules to each event.
"""

from __future__ import annotations

import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from common.request_id import current_request_id
from gateway.app.errors import BAD_REQUEST, RequestError
from gateway.app.pipeline import Prepared
from gateway.app.state import Gateway
from gateway.app.subscriptions.upstream import GAP, UpstreamSubscription, subscribe
from gateway.execution import GraphQLResponse, PlanExecutor
from gateway.execution.errors import unavailable_error
from gateway.planning import Fetch, Parallel, PlanNode, Sequence
from gateway.policy.production import mask_subgraph_errors
from gateway.transport import (
    SubgraphClient,
    SubgraphRequest,
    SubgraphResponse,
    SubgraphUnavailable,
)

#: the extension code of the error that tells a client events may have been missed
EVENTS_MISSED = "SUBSCRIPTION_EVENTS_MISSED"

#: the event being executed in this task: (the root fetch it answers, the subgraph's payload)
_EVENT: contextvars.ContextVar[tuple[Fetch, dict[str, Any]] | None] = contextvars.ContextVar(
    "subscription_event", default=None
)


class EventClient:
    """A `SubgraphClient` answering a subscription's root fetch with the current event."""

    def __init__(self, inner: SubgraphClient) -> None:
        self.inner = inner

    async def execute(self, request: SubgraphRequest) -> SubgraphResponse:
        current = _EVENT.get()
        if current is not None:
            fetch, payload = current
            if request.subgraph == fetch.service and request.query == fetch.operation_text:
                data = payload.get("data")
                errors = payload.get("errors") or ()
                return SubgraphResponse(
                    data if isinstance(data, dict) else None,
                    tuple(e for e in errors if isinstance(e, dict)),
                    owned=True,
                )
        return await self.inner.execute(request)


#: one executor per supergraph state, over the state's own client
_EXECUTORS: WeakKeyDictionary[Gateway, PlanExecutor] = WeakKeyDictionary()


def event_executor(gateway: Gateway) -> PlanExecutor:
    """The executor subscriptions of `gateway` run their events through."""
    executor = _EXECUTORS.get(gateway)
    if executor is None:
        client = EventClient(gateway.executor.client)
        executor = _EXECUTORS[gateway] = PlanExecutor(gateway.supergraph, client)
    return executor


def root_fetch(node: PlanNode | None) -> Fetch:
    """The subscription's root fetch: the plan's first step."""
    while isinstance(node, Sequence) and node.nodes:
        node = node.nodes[0]
    if isinstance(node, Parallel) and len(node.nodes) == 1:
        return root_fetch(node.nodes[0])
    if isinstance(node, Fetch) and node.operation_kind == "subscription":
        return node
    raise RequestError(400, BAD_REQUEST, "A subscription needs exactly one field to subscribe to.")


@dataclass(frozen=True)
class SubscriptionRun:
    """One client subscription over one supergraph state."""

    gateway: Gateway
    prepared: Prepared
    variables: Mapping[str, Any]
    #: the headers for subgraph requests, fresh each time (internal tokens expire)
    headers: Callable[[], Mapping[str, str]]
    #: verifies the client's token again; raises `PolicyError` once it is no longer valid
    reauthorize: Callable[[], Awaitable[None]]
    connect_timeout: float = 10.0
    reconnect_attempts: int = 5

    async def events(self) -> AsyncIterator[GraphQLResponse]:
        """One response per event, as a query of the same selection would answer it."""
        fetch = root_fetch(self.prepared.plan.node)
        graph = self.gateway.supergraph.graphs[fetch.service]
        upstream = UpstreamSubscription(
            subgraph=fetch.service,
            url=graph.url,
            query=fetch.operation_text,
            variables={n: self.variables[n] for n in fetch.variable_usages if n in self.variables},
            operation_name=fetch.operation_name,
            headers=self.headers,
            connect_timeout=self.connect_timeout,
            reconnect_attempts=self.reconnect_attempts,
        )
        executor = event_executor(self.gateway)
        try:
            async for payload in subscribe(upstream):
                await self.reauthorize()
                if payload is GAP:
                    yield missed_events()
                    continue
                assert isinstance(payload, dict)
                yield await self.respond(executor, fetch, payload)
        except SubgraphUnavailable as exc:
            yield {"data": None, "errors": [unavailable_error(exc)]}

    async def respond(
        self, executor: PlanExecutor, fetch: Fetch, payload: dict[str, Any]
    ) -> GraphQLResponse:
        """The client's response to one event the subgraph sent for `fetch`."""
        token = _EVENT.set((fetch, payload))
        try:
            authorized = self.prepared.authorized
            response = await executor.execute(
                self.prepared.plan,
                self.variables,
                dict(self.headers()),
                authorized.removals if authorized is not None else None,
            )
        finally:
            _EVENT.reset(token)
        if self.gateway.policy.production:
            response = mask_subgraph_errors(response, current_request_id())
        return response


def missed_events() -> GraphQLResponse:
    """What the client is told after the subgraph connection was re-established."""
    return {
        "data": None,
        "errors": [
            {
                "message": "The connection to the subgraph was lost and re-established: events "
                "may have been missed. Read the current state again if it matters.",
                "extensions": {"code": EVENTS_MISSED},
            }
        ],
    }

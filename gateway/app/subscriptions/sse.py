"""GraphQL over Server-Sent Events, "distinct connections" mode, on `/graphql`.

https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md. A POST (JSON, as for any
operation, CSRF rules included) with `Accept: text/event-stream` answers a stream: `event: next`
with each response, then `event: complete`. The token goes in the `Authorization` header. A
request refused before it starts answers JSON with its HTTP status, as a POST would. A comment
line every `KEEPALIVE_SECONDS` keeps proxies from closing a quiet stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from gateway.app.errors import BAD_REQUEST, SUPERGRAPH_UNAVAILABLE, RequestError
from gateway.app.intake import read_request
from gateway.app.params import GraphQLParams, request_from_body
from gateway.app.responses import json_response
from gateway.app.runtime import GatewayRuntime, SupergraphUnavailable
from gateway.app.subscriptions.session import Responses, Subscriber
from gateway.execution import GraphQLResponse
from gateway.policy.errors import PolicyError
from gateway.policy.settings import PolicySettings

EVENT_STREAM = "text/event-stream"
KEEPALIVE_SECONDS = 15.0


def wants_event_stream(request: Request) -> bool:
    """True when the client asks for an event stream."""
    return EVENT_STREAM in request.headers.get("accept", "")


async def sse_response(request: Request, runtime: GatewayRuntime) -> Response:
    """Run one operation and stream its responses as Server-Sent Events."""
    subscriber: Subscriber = request.app.state.subscriber
    policy: PolicySettings = request.app.state.policy
    exits = contextlib.AsyncExitStack()
    try:
        params = await read_request(request, policy, request_from_body)
        if not isinstance(params, GraphQLParams):
            raise RequestError(400, BAD_REQUEST, "Send one operation per event stream.")
        address = subscriber.callers.address_of(request)
        client = await subscriber.identify(request.headers.get("authorization"), address)
        gateway = await exits.enter_async_context(runtime.use())
        responses = await subscriber.open(gateway, params, client, 0)
    except PolicyError as exc:
        await exits.aclose()
        return json_response(exc.body(), status_code=exc.status, headers=dict(exc.headers))
    except SupergraphUnavailable:
        await exits.aclose()
        error = RequestError(
            503, SUPERGRAPH_UNAVAILABLE, "The gateway has no usable supergraph yet; try later."
        )
        return json_response(error.body(), status_code=503)
    return StreamingResponse(
        _events(responses, exits),
        media_type=EVENT_STREAM,
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(
    responses: AsyncGenerator[GraphQLResponse, None] | Responses,
    exits: contextlib.AsyncExitStack,
) -> AsyncIterator[str]:
    step: asyncio.Future[GraphQLResponse] | None = None
    try:
        iterator = aiter(responses)
        while True:
            step = asyncio.ensure_future(anext(iterator))
            while True:
                done, _ = await asyncio.wait({step}, timeout=KEEPALIVE_SECONDS)
                if done:
                    break
                yield ": keep-alive\n\n"
            try:
                response = step.result()
            except StopAsyncIteration:
                break
            yield _event("next", response)
        yield "event: complete\ndata:\n\n"
    finally:
        if step is not None and not step.done():  # the client went away while waiting
            step.cancel()
            with contextlib.suppress(BaseException):
                await step
        elif step is not None and not step.cancelled():
            # The client went away as the step ended (the subscription's end, or a failure):
            # taken here, else asyncio logs it as never retrieved, with a traceback.
            step.exception()
        with contextlib.suppress(Exception):
            await responses.aclose()
        await exits.aclose()


def _event(kind: str, data: Any) -> str:
    return f"event: {kind}\ndata: {json.dumps(data, default=str)}\n\n"

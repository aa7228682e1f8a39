"""One HTTP request through the GraphQL pipeline, whatever door it came in by.

`/graphql` and the REST shims both call `execute`: the caller is identified, rate-limited and
served by the same pipeline, and every refusal becomes an `Outcome` with its status; nothing
raises out of here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from common.logging import get_logger
from common.request_id import current_request_id
from gateway.app.batch import run_batch
from gateway.app.callers import CallerResolver
from gateway.app.errors import INTERNAL_SERVER_ERROR, SUPERGRAPH_UNAVAILABLE, RequestError
from gateway.app.observe import observe_operation
from gateway.app.params import GraphQLParams
from gateway.app.pipeline import run_graphql
from gateway.app.runtime import GatewayRuntime, SupergraphUnavailable
from gateway.execution import GraphQLResponse
from gateway.policy.batching import check_batch
from gateway.policy.errors import PolicyError
from gateway.policy.rate_limiter import RateLimiter
from gateway.policy.settings import PolicySettings

logger = get_logger(__name__)

#: Reads the request's GraphQL parameters (one, or a batch) once the caller is known.
ReadParams = Callable[[], Awaitable["GraphQLParams | list[GraphQLParams]"]]


@dataclass
class Outcome:
    """What to answer: an HTTP status, a GraphQL response body (or a batch of them), headers."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


async def execute(
    request: Request, read_params: ReadParams, *, http_method: str, coalesce: bool = False
) -> Outcome:
    """Identify the caller, apply the rate limit, read the parameters and run the pipeline.
    `coalesce`: identical queries in flight may share one execution (`/graphql`, whose answer
    goes straight to the client; the REST shims read and reshape theirs, so they never share)."""
    state = request.app.state
    runtime: GatewayRuntime = state.runtime
    limiter: RateLimiter | None = state.rate_limiter
    callers: CallerResolver = state.callers
    policy: PolicySettings = state.policy
    rate_limit = None
    try:
        caller = await callers.resolve(request)
        if limiter is not None:
            rate_limit = limiter.for_request(caller.address, caller.subject)
        params = await read_params()
        async with runtime.use() as gateway:

            async def run_one(one: GraphQLParams) -> GraphQLResponse:
                return await observe_operation(
                    one,
                    lambda: run_graphql(
                        gateway,
                        one,
                        http_method=http_method,
                        want_plan=request.headers.get("x-query-plan", "").lower() == "true",
                        forwarded_headers=caller.subgraph_headers,
                        rate_limit=rate_limit,
                        identity=caller.identity,
                        client_address=caller.address,
                        coalesce=coalesce,
                    ),
                )

            if isinstance(params, list):
                check_batch(params, enabled=policy.batching, max_size=policy.max_batch_size)
                response: Any = await run_batch(run_one, params)
            else:
                response = await run_one(params)
    except SupergraphUnavailable:
        error = RequestError(
            503,
            SUPERGRAPH_UNAVAILABLE,
            "The gateway has no usable supergraph yet; try again later (see /health).",
        )
        return Outcome(503, error.body())
    except PolicyError as exc:
        return Outcome(exc.status, exc.body(), dict(exc.headers))
    except Exception:
        # Never leak a trace to the client; the log has it, joined by the request id.
        request_id = current_request_id()
        logger.exception("unexpected error while serving a GraphQL request")
        body = {
            "errors": [
                {
                    "message": f"Internal server error (request id {request_id}).",
                    "extensions": {"code": INTERNAL_SERVER_ERROR, "requestId": request_id},
                }
            ]
        }
        return Outcome(500, body)
    return Outcome(200, response, dict(rate_limit.headers) if rate_limit is not None else {})


async def run_operation(
    request: Request,
    query: str,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
) -> Outcome:
    """One named operation on behalf of the request's caller (the REST shims' way in)."""

    async def params() -> GraphQLParams:
        return GraphQLParams(query, variables or {}, operation_name, trusted=True)

    return await execute(request, params, http_method="POST")

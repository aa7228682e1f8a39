"""The FastAPI application: routes and wiring only; the work is in `pipeline.run_graphql`."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from common.logging import get_logger
from common.metrics import MetricsMiddleware, metrics_response, request_metrics
from common.request_id import RequestIdMiddleware, current_request_id
from common.settings import GatewaySettings
from gateway.app.errors import INTERNAL_SERVER_ERROR, RequestError
from gateway.app.graphiql import GRAPHIQL_HTML
from gateway.app.params import params_from_body, params_from_query_string
from gateway.app.pipeline import Gateway, run_graphql
from gateway.app.subgraph_urls import url_overrides
from gateway.execution import PlanExecutor
from gateway.supergraph import Supergraph, load_supergraph
from gateway.transport import (
    BreakerSettings,
    DeduplicatingClient,
    HttpSubgraphClient,
    SubgraphClient,
)

logger = get_logger(__name__)

#: Client headers passed on to subgraphs.
FORWARDED_HEADERS = ("authorization",)
_PATHS = frozenset({"/graphql", "/health", "/metrics"})
# Prometheus metrics live in the process registry: one set however many apps are built.
_METRICS = request_metrics("gateway")


def create_app(
    settings: GatewaySettings,
    *,
    supergraph: Supergraph | None = None,
    client: SubgraphClient | None = None,
    environ: Mapping[str, str] | None = None,
) -> FastAPI:
    """The gateway app over `supergraph` (default: loaded from `settings.supergraph_path`, with
    `GATEWAY_SUBGRAPH_<NAME>_URL` overrides) sending through `client` (default: HTTP)."""
    if supergraph is None:
        supergraph = load_supergraph(settings.supergraph_path)
    overrides = url_overrides(supergraph.graphs, os.environ if environ is None else environ)
    supergraph = supergraph.with_urls(overrides)
    http_client: HttpSubgraphClient | None = None
    if client is None:
        http_client = HttpSubgraphClient(
            {name: graph.url for name, graph in supergraph.graphs.items()},
            connect_timeout=settings.subgraph_connect_timeout,
            request_timeout=settings.subgraph_request_timeout,
            max_connections=settings.subgraph_max_connections,
            breaker=BreakerSettings(
                max_requests=settings.circuit_breaker_max_requests,
                interval=settings.circuit_breaker_interval,
                timeout=settings.circuit_breaker_timeout,
            ),
        )
        client = DeduplicatingClient(http_client)
    gateway = Gateway(
        supergraph=supergraph,
        executor=PlanExecutor(supergraph, client),
        breaker_states=_breaker_states(http_client or client, supergraph),
        expose_plans=not settings.production,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if http_client is not None:
            await http_client.aclose()

    app = FastAPI(
        title="Federation gateway",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.gateway = gateway

    @app.post("/graphql")
    async def graphql_post(request: Request) -> Response:
        return await _respond(gateway, request, lambda body: params_from_body(body))

    @app.get("/graphql")
    async def graphql_get(request: Request) -> Response:
        accept = request.headers.get("accept", "")
        wants_page = "query" not in request.query_params and "text/html" in accept
        if wants_page and not settings.production:
            return HTMLResponse(GRAPHIQL_HTML)
        query = dict(request.query_params)
        return await _respond(gateway, request, lambda _: params_from_query_string(query))

    @app.get("/health")
    async def health() -> JSONResponse:
        states = gateway.breaker_states()
        subgraphs = [
            {"name": name, "url": graph.url, "circuitBreaker": states.get(name, "closed")}
            for name, graph in supergraph.graphs.items()
        ]
        status = "degraded" if "open" in states.values() else "ok"
        return JSONResponse({"status": status, "subgraphs": subgraphs})

    @app.get("/metrics")
    async def metrics() -> Response:
        return metrics_response()

    app.add_middleware(MetricsMiddleware, metrics=_METRICS, known_paths=_PATHS)
    app.add_middleware(RequestIdMiddleware, logger_name="gateway.http")
    return app


async def _respond(
    gateway: Gateway, request: Request, read_params: Callable[[bytes], Any]
) -> Response:
    """Run the pipeline for one HTTP request and turn the outcome into a response."""
    try:
        params = read_params(await request.body())
        response = await run_graphql(
            gateway,
            params,
            http_method=request.method,
            want_plan=request.headers.get("x-query-plan", "").lower() == "true",
            forwarded_headers={
                name: request.headers[name] for name in FORWARDED_HEADERS if name in request.headers
            },
        )
    except RequestError as exc:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)
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
        return JSONResponse(body, status_code=500)
    return JSONResponse(response)


def _breaker_states(client: object, supergraph: Supergraph) -> Callable[[], Mapping[str, str]]:
    """The client's breaker states when it keeps breakers; else every subgraph is `closed`."""
    states = getattr(client, "breaker_states", None)
    if callable(states):
        return states  # type: ignore[no-any-return]
    return lambda: dict.fromkeys(supergraph.graphs, "closed")

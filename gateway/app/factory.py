"""The FastAPI application: routes and wiring only; the work is in `pipeline.run_graphql`, the
supergraph lifecycle in `runtime.GatewayRuntime`."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from importlib import metadata
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from graphql import print_schema
from starlette.types import ASGIApp

from common.auth import AuthSettings, InternalTokens, JwksKeys, load_auth_settings
from common.errors import ConfigurationError
from common.logging import get_logger
from common.metrics import MetricsMiddleware, request_metrics
from common.request_id import RequestIdMiddleware
from common.settings import GatewaySettings
from common.tracing import trace_requests
from gateway.app.cache import LruCache
from gateway.app.callers import CallerResolver
from gateway.app.clients import RoutingClient, SubgraphClientPool
from gateway.app.coalesce import COALESCED, Coalescer
from gateway.app.cpu import CpuWorker
from gateway.app.execute import execute, run_operation
from gateway.app.frontend import FrontendBuild, graphiql_page, install_frontend
from gateway.app.intake import read_request
from gateway.app.operations import install_operations_routes
from gateway.app.params import params_from_query_string, request_from_body
from gateway.app.reload import Refused, SupergraphFile, SupergraphSource, sdl_hash
from gateway.app.responses import json_response
from gateway.app.runtime import GatewayRuntime
from gateway.app.security_headers import SecurityHeaders
from gateway.app.state import Gateway
from gateway.app.subgraph_urls import url_overrides
from gateway.app.subscriptions import (
    Subscriber,
    SubscriptionLimits,
    SubscriptionRegistry,
    serve_websocket,
    sse_response,
    wants_event_stream,
)
from gateway.caching import CacheStore, CachingClient, cache_store, event_invalidation
from gateway.execution import PlanExecutor
from gateway.policy.authentication import Authenticator
from gateway.policy.cors import cors_options
from gateway.policy.persisted_queries import PersistedQueries, persisted_queries
from gateway.policy.rate_limiter import rate_limiter
from gateway.policy.settings import PolicySettings
from gateway.rest import Idempotency, idempotency_store, install_rest
from gateway.supergraph import Supergraph, SupergraphError
from gateway.transport import (
    BreakerSettings,
    DeduplicatingClient,
    HttpSubgraphClient,
    SubgraphClient,
)

logger = get_logger(__name__)

#: GraphQL over HTTP's own media type; answered with when the client accepts it.
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
_PATHS = frozenset({"/graphql", "/health", "/metrics"})
# Prometheus metrics live in the process registry: one set however many apps are built.
_METRICS = request_metrics("gateway")
_NO_FASTAPI_TELEMETRY: Any = {"tracing": False, "metrics": False, "logs": False}


def create_app(
    settings: GatewaySettings,
    *,
    supergraph: Supergraph | None = None,
    client: SubgraphClient | None = None,
    environ: Mapping[str, str] | None = None,
    source: SupergraphSource | None = None,
) -> FastAPI:
    """The gateway app over `supergraph`, or what `source` gives (default: the file
    `settings.supergraph_path`), polled every `settings.supergraph_poll_interval` seconds, with
    `GATEWAY_SUBGRAPH_<NAME>_URL` overrides, sending through `client` (default: one pooled HTTP
    client per subgraph).

    Raises `SupergraphError` when the source is unusable and polling is off: nothing would fix it;
    `ConfigurationError` for a setting production refuses (a weak secret or token).
    """
    problems = settings.production_problems()
    if problems:
        raise ConfigurationError(problems)
    auth_settings = load_auth_settings(gateway_env=settings.env, token_endpoint=True)
    cpu = CpuWorker.thread()
    # One per app, as the limiter: registered documents outlive supergraph reloads.
    persisted, persisted_documents = persisted_queries(settings)
    cache = cache_store(settings)  # None unless GATEWAY_CACHE_ENABLED=true
    environ = os.environ if environ is None else environ
    runtime = _runtime(settings, client, environ, cpu, persisted, cache)
    limiter = rate_limiter(settings)  # one per app: its buckets outlive supergraph reloads
    keys = JwksKeys.from_settings(auth_settings) if auth_settings.auth_jwks_url else None
    callers = _callers(settings, auth_settings, keys)
    idempotency_keys = idempotency_store(settings)
    if supergraph is not None:
        runtime.install(supergraph, sdl_hash(print_schema(supergraph.schema).encode()))
    else:
        runtime.source = source or SupergraphFile(settings.supergraph_path)
        outcome = runtime.source.read_if_changed()
        if isinstance(outcome, Refused) and not settings.supergraph_poll_interval:
            raise SupergraphError(outcome.reason)
        runtime.apply(outcome)

    registry = SubscriptionRegistry(
        SubscriptionLimits(
            per_connection=settings.subscriptions_per_connection,
            per_client=settings.subscriptions_per_client,
            init_timeout=settings.subscription_init_timeout,
            reconnect_attempts=settings.subscription_reconnect_attempts,
        )
    )
    runtime.listeners.append(registry.installed)
    subscriber = Subscriber(callers, registry, limiter)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        poller = None
        if runtime.source is not None and settings.supergraph_poll_interval > 0:
            poller = asyncio.create_task(runtime.poll(settings.supergraph_poll_interval))
        invalidation = event_invalidation(cache) if cache is not None else None
        listener = asyncio.create_task(invalidation.run()) if invalidation else None
        try:
            yield
        finally:
            registry.close_all()
            for task in (poller, listener):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            if invalidation is not None:
                await invalidation.bus.close()
            if cache is not None:
                await cache.aclose()
            await runtime.aclose()
            cpu.shutdown()
            if limiter is not None:
                await limiter.aclose()
            await persisted_documents.aclose()
            if keys is not None:
                await keys.aclose()
            await idempotency_keys.aclose()

    app = GatewayApp(
        title="Federation gateway",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        # Our spans come from common/tracing (docs/operations.md, "Tracing"); FastAPI's own
        # telemetry would only duplicate them, and asks three global providers per request
        # whether it is on (about 1 % of a request's CPU). Older FastAPI keeps it in `extra`.
        telemetry=_NO_FASTAPI_TELEMETRY,
    )
    app.state.runtime = runtime
    app.state.policy = PolicySettings.from_settings(settings)
    app.state.rate_limiter = limiter
    app.state.persisted_documents = persisted_documents  # for /health
    app.state.entity_cache = cache
    app.state.callers = callers
    app.state.subscriber = subscriber
    frontend = FrontendBuild(settings.frontend_dist)

    async def graphql_post(request: Request) -> Response:
        if wants_event_stream(request):  # GraphQL over SSE (subscriptions)
            return await sse_response(request, runtime)
        return await _respond(request, request_from_body)

    # A plain Starlette route: no dependency injection or validation on the hot path.
    app.router.add_route("/graphql", graphql_post, methods=["POST"])

    async def graphql_websocket(websocket: WebSocket) -> None:
        await serve_websocket(websocket, runtime, subscriber, settings.cors_origin_list)

    app.router.add_websocket_route("/graphql", graphql_websocket)

    @app.get("/graphql", include_in_schema=False)
    async def graphql_get(request: Request) -> Response:
        accept = request.headers.get("accept", "")
        wants_page = "query" not in request.query_params and "text/html" in accept
        if wants_page and not settings.production:
            return graphiql_page(frontend)
        query = dict(request.query_params)
        return await _respond(request, lambda _, depth: params_from_query_string(query, depth))

    install_operations_routes(app, settings, runtime, limiter, idempotency_keys)

    async def throttle_token_request(request: Request, client_id: str) -> None:
        if limiter is not None:
            await limiter.check_token_request(client_id, callers.address_of(request))

    install_rest(
        app,
        auth_settings,
        run_operation,
        version=_version(),
        idempotency=Idempotency(idempotency_keys, callers.scope_of),
        token_throttle=throttle_token_request,
    )
    install_frontend(app, frontend)  # last: its page paths are whatever no route above took

    app.add_middleware(MetricsMiddleware, metrics=_METRICS, known_paths=_PATHS)
    app.add_middleware(RequestIdMiddleware, logger_name="gateway.http")
    app.add_middleware(CORSMiddleware, **cors_options(settings.cors_origin_list))
    trace_requests(app)  # outermost: the request's span covers everything above
    return app


class GatewayApp(FastAPI):
    """FastAPI with `SecurityHeaders` around everything, Starlette's error handling included
    (middleware added with `add_middleware` runs inside it, so a 500 would go out bare)."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def _version() -> str:
    """This package's version, for the OpenAPI document."""
    try:
        return metadata.version("federated-platform")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def _callers(
    settings: GatewaySettings, auth_settings: AuthSettings, keys: JwksKeys | None
) -> CallerResolver:
    """How requests are identified: client tokens verified as `AUTH_*` say, internal tokens
    for the subgraphs signed with `AUTH_INTERNAL_SECRET`."""
    return CallerResolver(
        authenticator=Authenticator(auth_settings, keys),
        internal_tokens=InternalTokens.from_settings(auth_settings),
        trust_forwarded_for=settings.trust_forwarded_for,
        forwarded_header_names=settings.forwarded_header_names,
    )


def _runtime(
    settings: GatewaySettings,
    client: SubgraphClient | None,
    environ: Mapping[str, str],
    cpu: CpuWorker,
    persisted: PersistedQueries,
    cache: CacheStore | None = None,
) -> GatewayRuntime:
    """A runtime whose states use `client`, or HTTP clients kept across reloads."""
    pool: SubgraphClientPool | None = None
    if client is None:
        pool = SubgraphClientPool(lambda name, url: _http_client(settings, name, url))

    def build(
        loaded: Supergraph, schema_hash: str
    ) -> tuple[Gateway, dict[str, HttpSubgraphClient]]:
        # Overrides are read again for every supergraph, so they apply to reloads too.
        supergraph = loaded.with_urls(url_overrides(loaded.graphs, environ))
        clients: dict[str, HttpSubgraphClient] = {}
        if pool is not None:
            clients = pool.clients_for(supergraph.graphs)
            routing = RoutingClient(clients)
            sender: SubgraphClient = DeduplicatingClient(routing)
            states = _breaker_states(routing, supergraph)
        else:
            assert client is not None
            sender, states = client, _breaker_states(client, supergraph)
        if cache is not None:  # the entity cache wraps whatever sends to the subgraphs
            sender = CachingClient(sender, cache, default_ttl=settings.redis_ttl_seconds)
        size = settings.plan_cache_size
        state = Gateway(
            supergraph=supergraph,
            executor=PlanExecutor(supergraph, sender),
            breaker_states=states,
            expose_plans=not settings.production,
            schema_hash=schema_hash,
            documents=LruCache(size, step="parse"),
            operation_keys=LruCache(size),
            validations=LruCache(size, step="validate"),
            operations=LruCache(size, step="normalize"),
            plans=LruCache(size, step="plan"),
            shapes=LruCache(size, step="limits"),
            costs=LruCache(size, step="cost"),
            authorizations=LruCache(size, step="authorize"),
            policy=PolicySettings.from_settings(settings),
            persisted_queries=persisted,
            cpu=cpu,
            coalescer=Coalescer(COALESCED.inc) if settings.coalesce_requests else None,
        )
        return state, clients

    return GatewayRuntime(build, pool=pool)


def _http_client(settings: GatewaySettings, name: str, url: str) -> HttpSubgraphClient:
    return HttpSubgraphClient(
        {name: url},
        connect_timeout=settings.subgraph_connect_timeout,
        request_timeout=settings.subgraph_request_timeout,
        max_connections=settings.subgraph_max_connections,
        breaker=BreakerSettings(
            max_requests=settings.circuit_breaker_max_requests,
            interval=settings.circuit_breaker_interval,
            timeout=settings.circuit_breaker_timeout,
        ),
    )


async def _respond(request: Request, read_params: Callable[[bytes, int], Any]) -> Response:
    """Run the pipeline for one `/graphql` request and turn the outcome into a response."""
    accept = request.headers.get("accept", "")
    media_type = GRAPHQL_RESPONSE_JSON if GRAPHQL_RESPONSE_JSON in accept else "application/json"
    policy: PolicySettings = request.app.state.policy

    async def params() -> Any:
        return await read_request(request, policy, read_params)

    outcome = await execute(request, params, http_method=request.method, coalesce=True)
    return json_response(
        outcome.body, status_code=outcome.status, headers=outcome.headers, media_type=media_type
    )


def _breaker_states(client: object, supergraph: Supergraph) -> Callable[[], Mapping[str, str]]:
    """The client's breaker states when it keeps breakers; else every subgraph is `closed`."""
    states = getattr(client, "breaker_states", None)
    if callable(states):
        return states  # type: ignore[no-any-return]
    return lambda: dict.fromkeys(supergraph.graphs, "closed")

"""The FastAPI app of a subgraph: /graphql, /health, /metrics, request ids, metrics and spans."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.responses import Response
from strawberry.fastapi import GraphQLRouter
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from common.auth import AuthSettings, InternalTokens, load_auth_settings
from common.db import create_engine, create_session_factory
from common.events.metrics import event_metrics
from common.metrics import MetricsMiddleware, metrics_response, request_metrics
from common.request_id import RequestIdMiddleware
from subgraphs.kit.context import context_getter
from subgraphs.kit.definition import Subgraph
from subgraphs.kit.events import EventRuntime
from subgraphs.kit.gate import InternalTokenGate
from subgraphs.kit.live import LiveEvents, subscriptions_gauge
from subgraphs.kit.pool_metrics import report_pool
from subgraphs.kit.settings import SubgraphSettings
from subgraphs.kit.sql_metrics import (
    RequestStatementScope,
    count_sql_statements,
    counted_as_background,
)
from subgraphs.kit.test_hooks import HoldAnswer
from subgraphs.kit.tracing import trace_subgraph

logger = logging.getLogger(__name__)

KNOWN_PATHS = frozenset({"/graphql", "/health", "/metrics"})
#: A health probe must answer quickly even when the database hangs.
HEALTH_TIMEOUT_SECONDS = 3.0


def engine_for(settings: SubgraphSettings) -> AsyncEngine:
    """The engine the settings describe."""
    return create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        echo=settings.db_echo,
    )


async def database_ok(engine: AsyncEngine) -> bool:
    """True when the database answers `SELECT 1` in time."""
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT_SECONDS), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        logger.warning("health check: the database did not answer", exc_info=True)
        return False
    return True


def create_service_app(
    subgraph: Subgraph,
    settings: SubgraphSettings,
    *,
    engine: AsyncEngine | None = None,
    auth: AuthSettings | None = None,
) -> FastAPI:
    """The subgraph's ASGI app; it disposes of the engine at shutdown.

    `/graphql` answers only requests carrying the gateway's internal token (and `_service`
    for anyone); `AUTH_*` settings are read here unless given, so a weak secret in production
    stops start-up.
    """
    auth = auth or load_auth_settings(gateway_env=settings.env)
    engine = engine or engine_for(settings)
    count_sql_statements(engine, subgraph.metrics_prefix)
    report_pool(engine, subgraph.metrics_prefix)
    sessions = create_session_factory(engine)
    events = EventRuntime(
        subgraph.name,
        subgraph.events,
        sessions,
        event_metrics(subgraph.metrics_prefix),
        settings,
    )
    # Subscriptions follow the bus live, on every replica (subgraphs/kit/live.py).
    live = None
    if subgraph.schema.subscription is not None:
        live = LiveEvents(gauge=subscriptions_gauge(subgraph.metrics_prefix))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await events.start()
        if live is not None:
            await live.start()
        try:
            yield
        finally:
            if live is not None:
                await live.stop()
            await events.stop()
            await engine.dispose()

    app = FastAPI(title=f"{subgraph.name} subgraph", lifespan=lifespan)
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.live = live
    graphql = GraphQLRouter(
        subgraph.schema,
        path="/graphql",
        context_getter=context_getter(sessions, subgraph.make_loaders, live),
        graphql_ide="graphiql" if settings.development else None,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
    )
    app.include_router(graphql)

    @app.get("/health")
    async def health() -> Response:
        ok = await database_ok(engine)
        body: dict[str, object] = {
            "status": "ok" if ok else "unavailable",
            "service": subgraph.name,
            "database": "ok" if ok else "unreachable",
        }
        if ok and events.relay is not None:
            body["outbox_backlog"] = await events.outbox_backlog()
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.get("/metrics")
    async def metrics() -> Response:
        try:
            with counted_as_background():
                await events.measure()
        except Exception:  # the rest of the metrics still answer while the database does not
            logger.warning("metrics: the outbox backlog could not be read", exc_info=True)
        return metrics_response()

    # Added last runs first: the request id is set before metrics and everything else, and
    # the gate's refusals are counted in the metrics.
    app.add_middleware(InternalTokenGate, tokens=InternalTokens.from_settings(auth))
    app.add_middleware(
        MetricsMiddleware,
        metrics=request_metrics(subgraph.metrics_prefix),
        known_paths=KNOWN_PATHS,
    )
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(RequestStatementScope)
    if settings.test_hold_answer_file is not None:
        # Crash tests only (refused in production): holds the finished answer as it leaves.
        app.add_middleware(HoldAnswer, flag=settings.test_hold_answer_file)
    trace_subgraph(app, subgraph.schema, engine)  # outermost, when tracing is on
    return app

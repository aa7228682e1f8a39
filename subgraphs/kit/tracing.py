"""Tracing in a subgraph (while `common.tracing` is on): a server span per request continuing the
gateway's `traceparent`, a span per resolver (Strawberry's OpenTelemetry extension) and one per
SQL statement (the SQLAlchemy instrumentation)."""

from __future__ import annotations

from collections.abc import Generator
from functools import partial
from typing import Any

from fastapi import FastAPI
from graphql import GraphQLResolveInfo
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.extensions import LifecycleStep
from strawberry.extensions.tracing import OpenTelemetryExtension

from common.tracing import trace_requests, tracer_provider
from subgraphs.kit.schema import ServiceSchema

_sql_traced = False
#: what the operation span's `query` attribute says instead of the document
UNRECORDED = "(not recorded)"


class ResolverSpans(OpenTelemetryExtension):
    """Strawberry's extension without the document text and the resolver arguments: literals
    in a document and arguments may carry passwords and personal data."""

    def on_operation(self) -> Generator[None, None, None]:
        steps = super().on_operation()
        next(steps)
        self._span_holder[LifecycleStep.OPERATION].set_attribute("query", UNRECORDED)
        yield
        next(steps, None)

    def filter_resolver_args(
        self, args: dict[str, Any], info: GraphQLResolveInfo[Any]
    ) -> dict[str, Any]:
        return {}


def trace_subgraph(app: FastAPI, schema: ServiceSchema, engine: AsyncEngine) -> None:
    """Add the subgraph's spans; call it after the app's other middleware. Nothing when off."""
    provider = tracer_provider()
    if provider is None:
        return
    if not any(getattr(ext, "func", None) is ResolverSpans for ext in schema.extensions):
        schema.extensions = (*schema.extensions, partial(ResolverSpans, tracer_provider=provider))
    _trace_sql(engine, provider)
    trace_requests(app)


def _trace_sql(engine: AsyncEngine, provider: Any) -> None:
    # The instrumentor is one per process (it also patches engine creation): one engine, the
    # subgraph's, is what a serving process has.
    global _sql_traced
    if _sql_traced:
        return
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    # Its declared range stops below SQLAlchemy 2.1, whose engine events it uses are unchanged;
    # the unit test of the subgraph's spans checks that SQL spans are recorded.
    SQLAlchemyInstrumentor().instrument(
        engine=engine.sync_engine, tracer_provider=provider, skip_dep_check=True
    )
    _sql_traced = True


def untrace_sql() -> None:
    """Remove the SQL instrumentation again (tests, after `common.tracing.reset_tracing`)."""
    global _sql_traced
    if _sql_traced:
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

        SQLAlchemyInstrumentor().uninstrument()
        _sql_traced = False

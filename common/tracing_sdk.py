"""The OpenTelemetry SDK set up for `common.tracing`: imported only when tracing is on.

Sampling: a trace starts at a server span (an HTTP request arriving), for a share
`OTEL_TRACES_SAMPLER_ARG` of them; every other span follows its parent. So the spans of
background work without a parent (the outbox relay's and the consumers' polling SQL) are dropped
instead of exporting a trace every 200 ms.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import (
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
    TraceIdRatioBased,
)
from opentelemetry.trace import Link, SpanKind
from opentelemetry.util.types import Attributes


class RequestRootSampler(Sampler):
    """Samples a root span only when it is a server span, and then `ratio` of them."""

    def __init__(self, ratio: float) -> None:
        self._ratio = TraceIdRatioBased(ratio)

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        if kind != SpanKind.SERVER:
            return SamplingResult(Decision.DROP)
        return self._ratio.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"RequestRootSampler{{{self._ratio.get_description()}}}"


def build_provider(
    service: str, ratio: float, *, endpoint: str | None, exporter: SpanExporter | None
) -> TracerProvider:
    """A provider for `service` batching its spans to `exporter`, or to OTLP/HTTP at `endpoint`
    (headers, timeout and compression from the SDK's own `OTEL_EXPORTER_OTLP_*` variables)."""
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=endpoint)
    provider = TracerProvider(
        resource=Resource.create({"service.name": service}),
        sampler=ParentBased(root=RequestRootSampler(ratio)),
    )
    provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider

"""Tracing on for one test, its spans kept in memory (the SDK's own in-memory exporter)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from common.tracing import TracingSettings, configure_tracing, reset_tracing, tracer_provider


class RecordedSpans:
    """The spans finished so far, flushed from the batch processor when read."""

    def __init__(self, exporter: InMemorySpanExporter) -> None:
        self.exporter = exporter

    def all(self) -> list[ReadableSpan]:
        provider = tracer_provider()
        assert provider is not None
        provider.force_flush()
        return list(self.exporter.get_finished_spans())

    def named(self, name: str) -> list[ReadableSpan]:
        return [s for s in self.all() if s.name == name]


@contextmanager
def recorded_spans(service: str = "test", ratio: float = 1.0) -> Iterator[RecordedSpans]:
    """Tracing on (as with an OTLP endpoint), exporting to memory; off again afterwards."""
    exporter = InMemorySpanExporter()
    configure_tracing(service, TracingSettings(otel_traces_sampler_arg=ratio), exporter=exporter)
    try:
        yield RecordedSpans(exporter)
    finally:
        reset_tracing()

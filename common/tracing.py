"""OpenTelemetry tracing for every process: on when an OTLP endpoint is set, off (and free) without.

`configure_tracing(service)` reads `OTEL_EXPORTER_OTLP_ENDPOINT` (or the traces-only
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) and, when one is set, installs the SDK's tracer provider
with a batching OTLP/HTTP exporter (`common.tracing_sdk`); otherwise the SDK is never imported
and every helper here costs one check of a module variable. Traces start at an HTTP request (a
server span) or continue one a caller started (W3C `traceparent`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.applications import Starlette

from common.settings import load_settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter

#: Paths whose requests are never traced: probes and scrapes would drown the real traffic.
UNTRACED_PATHS = "/health,/metrics"


class TracingSettings(BaseSettings):
    """The OpenTelemetry variables this project reads (the SDK's standard names, no prefix)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    #: base URL of an OTLP/HTTP receiver (`http://collector:4318`); `/v1/traces` is appended
    otel_exporter_otlp_endpoint: str = ""
    #: full URL for traces only; wins over the base URL
    otel_exporter_otlp_traces_endpoint: str = ""
    #: `service.name` of the spans; default: the process's service (`gateway`, `users`, ...)
    otel_service_name: str = ""
    #: share of new traces recorded (requests that bring no sampled `traceparent`), 0 to 1
    otel_traces_sampler_arg: float = Field(default=1.0, ge=0, le=1)

    @field_validator("otel_exporter_otlp_endpoint", "otel_exporter_otlp_traces_endpoint")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if value and (parts.scheme not in {"http", "https"} or not parts.netloc):
            raise ValueError("expected the http:// or https:// URL of an OTLP/HTTP receiver")
        return value

    @property
    def traces_endpoint(self) -> str | None:
        """Where spans are sent, or None when tracing is off."""
        if self.otel_exporter_otlp_traces_endpoint:
            return self.otel_exporter_otlp_traces_endpoint
        if self.otel_exporter_otlp_endpoint:
            return self.otel_exporter_otlp_endpoint.rstrip("/") + "/v1/traces"
        return None


_provider: TracerProvider | None = None


def configure_tracing(
    service: str,
    settings: TracingSettings | None = None,
    *,
    exporter: SpanExporter | None = None,
) -> TracerProvider | None:
    """Turn tracing on for this process when an endpoint (or `exporter`, in tests) is given;
    returns the provider, or None when tracing stays off. Call it once, at start-up.

    Raises `ConfigurationError` for a malformed endpoint."""
    global _provider
    settings = settings or load_settings(TracingSettings)
    endpoint = settings.traces_endpoint
    if exporter is None and endpoint is None:
        return None
    from common.tracing_sdk import build_provider

    _provider = build_provider(
        settings.otel_service_name or service,
        settings.otel_traces_sampler_arg,
        endpoint=endpoint,
        exporter=exporter,
    )
    return _provider


def tracer_provider() -> TracerProvider | None:
    """The provider `configure_tracing` installed, or None while tracing is off."""
    return _provider


def enabled() -> bool:
    """True while tracing is on in this process."""
    return _provider is not None


def reset_tracing() -> None:
    """Turn tracing off again (tests): flush and forget the provider."""
    global _provider
    if _provider is not None:
        _provider.shutdown()
    _provider = None


#: The span context of every step while tracing is off: one shared no-op, yielding None.
NO_SPAN: AbstractContextManager[None] = nullcontext()


def span(
    name: str, attributes: Mapping[str, Any] | None = None, *, kind: SpanKind = SpanKind.INTERNAL
) -> AbstractContextManager[trace.Span | None]:
    """A child span of the current one, or a shared no-op (yielding None) while tracing is off."""
    if _provider is None:
        return NO_SPAN
    return _recording(_provider, name, attributes, kind)


@contextmanager
def _recording(
    provider: TracerProvider, name: str, attributes: Mapping[str, Any] | None, kind: SpanKind
) -> Iterator[trace.Span]:
    tracer = provider.get_tracer("federated-platform")
    with tracer.start_as_current_span(name, kind=kind, attributes=dict(attributes or {})) as s:
        yield s


def mark_error(current: trace.Span | None, description: str) -> None:
    """Set the span's status to error (a no-op for None: tracing is off)."""
    if current is not None:
        current.set_status(Status(StatusCode.ERROR, description))


def inject_trace_context(headers: dict[str, str]) -> None:
    """Add `traceparent` (and `tracestate`) of the current span to outgoing headers."""
    if _provider is not None:
        from opentelemetry import propagate

        propagate.inject(headers)


def current_trace_ids() -> tuple[str, str] | None:
    """(trace id, span id) in hex of the span recorded in this task, if any."""
    if _provider is None:
        return None
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


def trace_requests(app: Starlette) -> None:
    """Put the OpenTelemetry ASGI middleware outermost in `app` (a server span per HTTP request,
    continuing the caller's `traceparent`); nothing while tracing is off. Call it last."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

    app.add_middleware(
        OpenTelemetryMiddleware,
        excluded_urls=UNTRACED_PATHS,
        tracer_provider=_provider,
        exclude_spans=["receive", "send"],
        server_request_hook=_without_query_string,
    )


def _without_query_string(current: trace.Span, scope: dict[str, Any]) -> None:
    """Keep query strings out of spans: a GraphQL GET carries its variables there."""
    if not scope.get("query_string") or not current.is_recording():
        return
    path = scope.get("path", "")
    current.set_attribute("http.target", path)
    current.set_attribute("url.query", "")
    host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
    current.set_attribute("http.url", f"{scope.get('scheme', 'http')}://{host}{path}")

"""Tracing is off without an endpoint, samples traces at requests, and marks log lines."""

from __future__ import annotations

import io
import json
import logging

import pytest
from opentelemetry.trace import SpanKind

from common import tracing
from common.errors import ConfigurationError
from common.logging import JsonFormatter
from common.settings import load_settings
from common.tracing import TracingSettings, configure_tracing
from tests.support.tracing import recorded_spans


def test_without_an_endpoint_tracing_stays_off_and_spans_cost_nothing() -> None:
    assert configure_tracing("gateway", TracingSettings()) is None
    assert not tracing.enabled()
    # One shared no-op: nothing is created per call.
    assert tracing.span("parse") is tracing.span("plan")
    with tracing.span("parse") as current:
        assert current is None
    headers: dict[str, str] = {}
    tracing.inject_trace_context(headers)
    assert headers == {}
    assert tracing.current_trace_ids() is None


def test_the_endpoint_is_the_base_url_plus_v1_traces_unless_a_traces_url_is_given() -> None:
    assert TracingSettings(
        otel_exporter_otlp_endpoint="http://collector:4318/"
    ).traces_endpoint == ("http://collector:4318/v1/traces")
    both = TracingSettings(
        otel_exporter_otlp_endpoint="http://collector:4318",
        otel_exporter_otlp_traces_endpoint="https://traces.example/otlp",
    )
    assert both.traces_endpoint == "https://traces.example/otlp"


@pytest.mark.parametrize("value", ["collector:4318", "grpc://collector:4317", "http://"])
def test_an_endpoint_that_is_not_an_http_url_stops_start_up_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", value)
    with pytest.raises(ConfigurationError, match="OTEL_EXPORTER_OTLP_ENDPOINT"):
        load_settings(TracingSettings)


def test_traces_start_at_server_spans_and_children_follow_their_parent() -> None:
    with recorded_spans("users") as spans:
        # No parent and not a request: dropped, children and all.
        with tracing.span("background poll"), tracing.span("SELECT outbox"):
            pass
        with (
            tracing.span("POST /graphql", kind=SpanKind.SERVER) as request,
            tracing.span("resolve"),
        ):
            assert request is not None
        names = sorted(s.name for s in spans.all())
        assert names == ["POST /graphql", "resolve"]
        assert {s.resource.attributes["service.name"] for s in spans.all()} == {"users"}


def test_a_ratio_of_zero_records_no_new_trace() -> None:
    with recorded_spans(ratio=0.0) as spans:
        with tracing.span("POST /graphql", kind=SpanKind.SERVER):
            pass
        assert spans.all() == []


def test_outgoing_headers_carry_the_current_span_as_traceparent() -> None:
    with (
        recorded_spans(),
        tracing.span("request", kind=SpanKind.SERVER),
        tracing.span("fetch users", kind=SpanKind.CLIENT),
    ):
        headers: dict[str, str] = {}
        tracing.inject_trace_context(headers)
        ids = tracing.current_trace_ids()
    assert ids is not None
    trace_id, span_id = ids
    version, traced, parent, flags = headers["traceparent"].split("-")
    assert (version, traced, parent) == ("00", trace_id, span_id)
    assert int(flags, 16) & 1, "sampled"


def test_json_log_lines_inside_a_span_carry_its_trace_and_span_ids() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("gateway"))
    logger = logging.getLogger("test.tracing.logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("outside")
        with recorded_spans(), tracing.span("request", kind=SpanKind.SERVER):
            logger.warning("inside")
            ids = tracing.current_trace_ids()
    finally:
        logger.removeHandler(handler)
    outside, inside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert "trace_id" not in outside
    assert ids is not None
    assert (inside["trace_id"], inside["span_id"]) == ids

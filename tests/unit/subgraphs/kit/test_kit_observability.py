"""A subgraph continues the gateway's trace (resolver and SQL spans) and reports its connection
pool and its events on /metrics."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from prometheus_client import REGISTRY, generate_latest
from sqlalchemy.ext.asyncio import create_async_engine

from common.events.metrics import event_metrics
from subgraphs.kit.app import create_service_app
from subgraphs.kit.tracing import untrace_sql
from subgraphs.users.app import SUBGRAPH
from subgraphs.users.models import UsersBase
from subgraphs.users.settings import UserServiceSettings
from tests.support.identity import ADMIN_IDENTITY, internal_headers
from tests.support.tracing import RecordedSpans, recorded_spans

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
PARENT_ID = "b7ad6b7169203331"


@pytest.fixture
def spans() -> Iterator[RecordedSpans]:
    with recorded_spans("users") as recorded:
        yield recorded
    untrace_sql()
    SUBGRAPH.schema.extensions = SUBGRAPH.schema.extensions[:-1]


async def test_a_request_continues_the_callers_trace_with_resolver_and_sql_spans(
    make_engine, spans: RecordedSpans
) -> None:
    engine = await make_engine(UsersBase.metadata)
    app = create_service_app(SUBGRAPH, UserServiceSettings(), engine=engine)
    headers = {
        **internal_headers(ADMIN_IDENTITY),
        "traceparent": f"00-{TRACE_ID}-{PARENT_ID}-01",
    }
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://users") as client:
        answer = await client.post(
            "/graphql",
            json={"query": '{ users(search: "secret-value") { items { id } } }'},
            headers=headers,
        )
        assert answer.status_code == 200, answer.text
        await client.get("/health")  # probes are not traced

    recorded = spans.all()
    assert {format(s.context.trace_id, "032x") for s in recorded} == {TRACE_ID}
    server = next(s for s in recorded if s.name.startswith("POST /graphql"))
    assert server.parent is not None and format(server.parent.span_id, "016x") == PARENT_ID
    resolver = next(s for s in recorded if s.name == "GraphQL Resolving: users")
    statements = [s for s in recorded if (s.attributes or {}).get("db.statement")]
    assert statements, [s.name for s in recorded]
    assert all(s.parent is not None for s in statements)
    assert any(s.parent.span_id == resolver.context.span_id for s in statements if s.parent)
    # Resolver arguments are left out: they may hold passwords and personal data.
    assert "secret-value" not in str([dict(s.attributes or {}) for s in recorded])
    assert not [s for s in recorded if "/health" in s.name]


async def test_the_connection_pool_is_reported_in_use_idle_and_at_most(tmp_path) -> None:
    engine = create_async_engine(
        f"sqlite+aiosqlite:///{tmp_path / 'users.db'}", pool_size=3, max_overflow=2
    )
    app = create_service_app(SUBGRAPH, UserServiceSettings(), engine=engine)
    transport = httpx.ASGITransport(app=app)
    try:
        async with (
            engine.connect(),
            httpx.AsyncClient(transport=transport, base_url="http://u") as client,
        ):
            busy = (await client.get("/metrics")).text
        async with httpx.AsyncClient(transport=transport, base_url="http://u") as client:
            idle = (await client.get("/metrics")).text
    finally:
        await engine.dispose()
    assert 'user_service_db_pool_connections{state="in_use"} 1.0' in busy
    assert 'user_service_db_pool_connections{state="in_use"} 0.0' in idle
    assert 'user_service_db_pool_connections{state="idle"} 1.0' in idle
    assert "user_service_db_pool_max_connections 5.0" in idle


def test_event_metrics_count_outcomes_lag_and_the_outbox_backlog() -> None:
    metrics = event_metrics("test_service")
    metrics.prepare_group("audit")
    text = generate_latest().decode()
    assert 'test_service_events_consumed_total{group="audit",outcome="parked"} 0.0' in text

    now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    metrics.applied("audit", now - timedelta(seconds=2), now)
    metrics.outbox(4, (now - timedelta(seconds=30)).replace(tzinfo=None), now)
    sample = REGISTRY.get_sample_value
    assert sample("test_service_events_consumed_total", {"group": "audit", "outcome": "applied"})
    assert sample("test_service_event_lag_seconds_sum", {"group": "audit"}) == 2.0
    assert sample("test_service_outbox_backlog") == 4
    assert sample("test_service_outbox_oldest_age_seconds") == 30.0
    metrics.outbox(0, None, now)
    assert sample("test_service_outbox_oldest_age_seconds") == 0.0

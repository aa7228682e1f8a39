"""Write the Grafana dashboards of monitoring/grafana/dashboards/ (`make dashboards`).

One dashboard for the gateway, one for events, and one per subgraph (the same panels over each
subgraph's own metric names, `user_service_requests_total` ...). Generated so the seven subgraph
dashboards cannot drift apart; `--check` fails when the JSON on disk is not what this writes
(tests/monitoring/test_dashboards.py runs it). Every expression is plain PromQL, no Grafana
variables, so the tests can run each one against a real Prometheus.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack.generated import write_or_check
from devstack.stack import SUBGRAPHS

OUT = Path(__file__).resolve().parent / "dashboards"
DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
BREAKER_STATES = [
    {"type": "value", "options": {"0": {"text": "closed", "color": "green"}}},
    {"type": "value", "options": {"1": {"text": "half-open", "color": "orange"}}},
    {"type": "value", "options": {"2": {"text": "open", "color": "red"}}},
]


@dataclass
class Panel:
    """One time series (or stat) panel: a title, its queries (expression, legend), a unit."""

    title: str
    queries: list[tuple[str, str]]
    unit: str = "short"
    description: str = ""
    kind: str = "timeseries"
    width: int = 12
    mappings: list[dict[str, Any]] = field(default_factory=list)

    def json(self, panel_id: int, x: int, y: int) -> dict[str, Any]:
        return {
            "id": panel_id,
            "type": self.kind,
            "title": self.title,
            "description": self.description,
            "datasource": DATASOURCE,
            "gridPos": {"h": 8, "w": self.width, "x": x, "y": y},
            "fieldConfig": {
                "defaults": {"unit": self.unit, "mappings": self.mappings},
                "overrides": [],
            },
            "options": {"legend": {"displayMode": "list", "placement": "bottom"}},
            "targets": [
                {
                    "refId": chr(ord("A") + i),
                    "datasource": DATASOURCE,
                    "expr": expr,
                    "legendFormat": legend,
                }
                for i, (expr, legend) in enumerate(self.queries)
            ],
        }


def dashboard(uid: str, title: str, description: str, panels: list[Panel]) -> dict[str, Any]:
    """A Grafana dashboard (schema 39) laying the panels out two to a row."""
    laid_out, x, y = [], 0, 0
    for number, panel in enumerate(panels, start=1):
        if x + panel.width > 24:
            x, y = 0, y + 8
        laid_out.append(panel.json(number, x, y))
        x += panel.width
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["federated-platform"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-1h", "to": "now"},
        "editable": False,
        "templating": {"list": []},
        "annotations": {"list": []},
        "panels": laid_out,
    }


def gateway_dashboard() -> dict[str, Any]:
    """Requests, errors and latency by operation; caches, fetches, breakers, rate limits."""
    panels = [
        Panel(
            "Operations per second",
            [("operation:gateway_operations:rate5m", "{{operation}}")],
            "reqps",
            "GraphQL operations served, by operation name (other: names beyond the label limit).",
        ),
        Panel(
            "Operation outcomes per second",
            [("sum by (outcome) (rate(gateway_operations_total[5m]))", "{{outcome}}")],
            "reqps",
            "success, error (answered with errors), refused (4xx before execution).",
        ),
        Panel(
            "Error ratio by operation",
            [("operation:gateway_operations_errors:ratio_rate5m", "{{operation}}")],
            "percentunit",
        ),
        Panel(
            "HTTP 5xx ratio",
            [("job:gateway_requests_5xx:ratio_rate5m", "{{job}}")],
            "percentunit",
            "Alert GatewayServerErrors above 5% for 5 minutes.",
        ),
        Panel(
            "Latency p95 by operation",
            [("operation:gateway_operation_duration_seconds:p95", "{{operation}}")],
            "s",
        ),
        Panel(
            "Latency p50 / p95 / p99 (all /graphql requests)",
            [
                (_quantile(q, "gateway_request_duration_seconds", 'path="/graphql"'), f"p{q}")
                for q in ("50", "95", "99")
            ],
            "s",
            "Alert GatewaySlowRequests: p95 above 1 s for 10 minutes.",
        ),
        Panel(
            "Cache hit ratio (parse, validate, limits, normalize, authorize, plan)",
            [("cache:gateway_cache_hits:ratio_rate5m", "{{cache}}")],
            "percentunit",
            "A low plan-cache ratio means clients send ever new documents (use variables).",
        ),
        Panel(
            "Subgraph fetches per operation",
            [
                ("gateway:operation_subgraph_fetches:avg_rate5m", "average"),
                (
                    "histogram_quantile(0.95, sum by (le) "
                    "(rate(gateway_operation_subgraph_fetches_bucket[5m])))",
                    "p95",
                ),
            ],
        ),
        Panel(
            "Subgraph requests per second",
            [("subgraph:gateway_subgraph_requests:rate5m", "{{subgraph}}")],
            "reqps",
        ),
        Panel(
            "Subgraph error ratio (no usable answer)",
            [("subgraph:gateway_subgraph_requests_errors:ratio_rate5m", "{{subgraph}}")],
            "percentunit",
        ),
        Panel(
            "Subgraph latency p95, as the gateway sees it",
            [("subgraph:gateway_subgraph_request_duration_seconds:p95", "{{subgraph}}")],
            "s",
        ),
        Panel(
            "Circuit breakers",
            [("max by (subgraph) (gateway_circuit_breaker_state)", "{{subgraph}}")],
            description="0 closed, 1 half-open, 2 open; the worst replica.",
            kind="stat",
            mappings=BREAKER_STATES,
        ),
        Panel(
            "Rate-limit decisions per second",
            [
                (
                    "sum by (backend, decision) (rate(gateway_rate_limit_decisions_total[5m]))",
                    "{{backend}} {{decision}}",
                )
            ],
            "reqps",
        ),
        Panel(
            "Replicas limiting rates alone (Redis unreachable)",
            [
                (
                    'sum(gateway_rate_limit_backend{backend="local"} '
                    "* on (job, instance) gateway_rate_limit_redis_configured)",
                    "replicas",
                )
            ],
            description="Alert RateLimitsLocal; 0 while every replica shares limits in Redis.",
        ),
        Panel(
            "Entity cache hits and misses per second",
            [
                (
                    "sum by (subgraph) (rate(cache_hits_total[5m])) or on() vector(0)",
                    "hits {{subgraph}}",
                ),
                (
                    "sum by (subgraph) (rate(cache_misses_total[5m])) or on() vector(0)",
                    "misses {{subgraph}}",
                ),
            ],
            "reqps",
            description="Entities and root answers served from the entity cache, and fetched "
            "(docs/caching.md); 0 while GATEWAY_CACHE_ENABLED is off.",
        ),
        Panel(
            "Supergraph",
            [
                ("min(gateway_supergraph_loaded)", "loaded (every replica)"),
                (
                    "sum by (result) (increase(gateway_supergraph_reloads_total[1h]))",
                    "reloads in the last hour: {{result}}",
                ),
            ],
        ),
    ]
    return dashboard(
        "gateway",
        "Gateway",
        "The federation gateway: operations, errors, latency, caches, subgraph fetches.",
        panels,
    )


def subgraph_dashboard(name: str, prefix: str) -> dict[str, Any]:
    """RED, SQL and connection pool of one subgraph, from its own metrics."""
    job = f'job="{name}"'
    graphql = f'{job}, path="/graphql"'
    panels = [
        Panel(
            "Requests per second",
            [(f"sum by (path) (rate({prefix}_requests_total{{{job}}}[5m]))", "{{path}}")],
            "reqps",
        ),
        Panel(
            "Errors per second",
            [(f"sum by (type) (rate({prefix}_errors_total{{{job}}}[5m]))", "{{type}}")],
            "reqps",
            "client_error: 4xx, server_error: 5xx.",
        ),
        Panel(
            "HTTP 5xx ratio",
            [(f"job:service_requests_5xx:ratio_rate5m{{{job}}}", "5xx")],
            "percentunit",
            "Alert SubgraphServerErrors above 5% for 5 minutes.",
        ),
        Panel(
            "Latency p50 / p95 / p99 (/graphql)",
            [
                (_quantile(q, f"{prefix}_request_duration_seconds", graphql), f"p{q}")
                for q in ("50", "95", "99")
            ]
            + [
                (
                    f'subgraph:gateway_subgraph_request_duration_seconds:p95{{subgraph="{name}"}}',
                    "p95 seen by the gateway",
                )
            ],
            "s",
        ),
        Panel(
            "SQL statements per second",
            [(f"sum by (origin) (rate({prefix}_sql_statements_total{{{job}}}[5m]))", "{{origin}}")],
            "ops",
            "request: for GraphQL requests; background: outbox relay and event consumers.",
        ),
        Panel(
            "SQL statements per GraphQL request",
            [
                (
                    f'sum(rate({prefix}_sql_statements_total{{{job}, origin="request"}}[5m])) '
                    f'/ sum(rate({prefix}_requests_total{{{graphql}, method="POST"}}[5m]))',
                    "statements",
                )
            ],
            description="A jump means a resolver stopped batching through its DataLoader.",
        ),
        Panel(
            "Database connections",
            [
                (f"sum by (state) ({prefix}_db_pool_connections{{{job}}})", "{{state}}"),
                (f"sum({prefix}_db_pool_max_connections{{{job}}})", "most allowed"),
            ],
        ),
        Panel(
            "Connection pool saturation",
            [(f"instance:service_db_pool:saturation{{{job}}}", "{{instance}}")],
            "percentunit",
            "Alert SubgraphDatabasePoolExhausted at 100% for 2 minutes.",
        ),
    ]
    return dashboard(
        f"subgraph-{name}",
        f"Subgraph: {name}",
        f"The {name} subgraph: requests, errors, latency, SQL, database connections.",
        panels,
    )


def events_dashboard() -> dict[str, Any]:
    """Events published, consumed, late, parked; the outboxes' backlog."""
    metric = '{{__name__=~"[a-z]+_service_{0}"{1}}}'
    panels = [
        Panel(
            "Events published per second",
            [("job_type:service_events_published:rate5m", "{{job}} {{type}}")],
            "ops",
        ),
        Panel(
            "Events consumed per second",
            [("job_group_outcome:service_events_consumed:rate5m", "{{group}} {{outcome}}")],
            "ops",
            "applied, duplicate (delivered again, no second effect), failed (retried), parked.",
        ),
        Panel(
            "Consumer lag p95",
            [("job_group:service_event_lag_seconds:p95", "{{group}}")],
            "s",
            "From an event's time to its being applied. Alert EventConsumerLagging above 60 s.",
        ),
        Panel(
            "Outbox backlog",
            [(f"max by (job) ({metric.format('outbox_backlog', '')})", "{{job}}")],
            description="Events written with their change, not yet published.",
        ),
        Panel(
            "Oldest unpublished event",
            [("job:service_outbox_oldest_age_seconds:max", "{{job}}")],
            "s",
            "Alert OutboxLagging above 60 s for 5 minutes.",
        ),
        Panel(
            "Events parked in the last hour",
            [
                (
                    "sum by (job, group) (increase("
                    + metric.format("events_consumed_total", ', outcome="parked"')
                    + "[1h]))",
                    "{{group}}",
                )
            ],
            description="Dead-lettered after five failures; alert EventsParked (runbook).",
        ),
    ]
    return dashboard(
        "events", "Events", "The outboxes, the event bus and its consumer groups.", panels
    )


def _quantile(q: str, histogram: str, selector: str) -> str:
    return f"histogram_quantile(0.{q}, sum by (le) (rate({histogram}_bucket{{{selector}}}[5m])))"


def dashboards() -> dict[str, dict[str, Any]]:
    """File name -> dashboard, every one this project provisions."""
    found = {"gateway.json": gateway_dashboard(), "events.json": events_dashboard()}
    for subgraph in SUBGRAPHS:
        prefix = subgraph.env_prefix.lower().rstrip("_")
        found[f"subgraph-{subgraph.name}.json"] = subgraph_dashboard(subgraph.name, prefix)
    return found


def files() -> dict[str, str]:
    """File name -> JSON text of every dashboard."""
    return {
        name: json.dumps(board, indent=2, sort_keys=True) + "\n"
        for name, board in dashboards().items()
    }


if __name__ == "__main__":
    sys.exit(write_or_check(OUT, files, __doc__.splitlines()[0], "make dashboards"))

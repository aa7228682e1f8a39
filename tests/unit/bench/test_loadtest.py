"""The load test's pure parts: what counts as a success, the API's order input, Locust's and
Prometheus's output read, and the settings checked."""

from __future__ import annotations

import json

import pytest

from bench.loadtest.checks import graphql_problem, rest_problem
from bench.loadtest.measures import parse_locust_csv, request_statements
from bench.loadtest.operations import OrderApi
from bench.loadtest.settings import LoadSettings, SettingsError

WIDGET = {"sku": "LT-1", "price": 12.5}


def test_a_graphql_answer_succeeds_only_with_200_no_errors_and_its_field() -> None:
    ok = json.dumps({"data": {"products": {"items": []}}})
    assert graphql_problem(200, ok, "products") == (None, {"items": []})
    denied = json.dumps(
        {"errors": [{"message": "Sign in first.", "extensions": {"code": "UNAUTHENTICATED"}}]}
    )
    assert graphql_problem(200, denied, "me")[0] == "HTTP 200, UNAUTHENTICATED: Sign in first."
    assert "HTTP 429" in (graphql_problem(429, json.dumps({"data": None}), "me")[0] or "")
    assert graphql_problem(200, json.dumps({"data": {"me": None}}), "me")[0] == (
        "HTTP 200 without data.me"
    )
    assert "not JSON" in (graphql_problem(502, "<html>Bad gateway</html>", "me")[0] or "")
    unavailable = json.dumps(
        {
            "errors": [
                {
                    "message": "A subgraph failed (request id 0123abcd).",
                    "extensions": {"code": "SUBGRAPH_UNAVAILABLE"},
                }
            ]
        }
    )
    # Without the request id, equal errors are counted together.
    assert graphql_problem(200, unavailable, "login")[0] == (
        "HTTP 200, SUBGRAPH_UNAVAILABLE: A subgraph failed."
    )


def test_a_rest_answer_succeeds_with_success_and_data() -> None:
    created = json.dumps({"success": True, "data": {"id": 7}})
    assert rest_problem(201, created) == (None, {"id": 7})
    refused = json.dumps({"success": False, "error": {"code": "CONFLICT", "message": "Busy."}})
    assert rest_problem(409, refused)[0] == "HTTP 409, CONFLICT: Busy."


def test_orders_are_placed_the_way_the_supergraph_accepts() -> None:
    today = OrderApi.of(
        "input CreateOrderInput { items: [OrderItemInput!] }\n"
        "input OrderItemInput { productId: String! quantity: Int! unitPrice: Float! }"
    )
    assert not today.graphql_idempotency and today.item_price_field
    assert today.rest_body([(WIDGET, 2)]) == {
        "items": [{"product_id": "LT-1", "quantity": 2, "unit_price": 12.5}]
    }
    priced_by_catalogue = OrderApi.of(
        "input CreateOrderInput { items: [OrderItemInput!] idempotencyKey: String }\n"
        "input OrderItemInput { productId: String! quantity: Int! }"
    )
    assert priced_by_catalogue.graphql_input([(WIDGET, 1)], "k-1") == {
        "items": [{"productId": "LT-1", "quantity": 1}],
        "idempotencyKey": "k-1",
    }


def test_the_tree_supergraph_is_readable() -> None:
    api = OrderApi.of_tree()
    assert isinstance(api.graphql_idempotency, bool) and isinstance(api.item_price_field, bool)


def test_only_request_statements_count() -> None:
    metrics = "\n".join(
        [
            "# HELP order_service_sql_statements_total SQL statements sent to the database",
            'order_service_sql_statements_total{origin="request"} 42.0',
            'order_service_sql_statements_total{origin="background"} 9000.0',
            'order_service_requests_total{method="POST",path="/graphql"} 7.0',
        ]
    )
    assert request_statements(metrics) == 42.0
    assert request_statements("") == 0.0


def test_locust_csv_is_read_per_operation_with_the_aggregate_and_failures() -> None:
    header = (
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
    )
    stats = "\n".join(
        [
            header,
            "POST,catalogue page,95,1,96,120.5,20,700,900,5.6,0.1,"
            "96,120,150,200,300,440,600,670,700,700,700",
            "POST,sign in,0,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A",
            ",Aggregated,95,1,96,120.5,20,700,900,5.6,0.1,96,120,150,200,300,440,600,670,700,700,700",
        ]
    )
    failures = 'Method,Name,Error,Occurrences\nPOST,catalogue page,"HTTP 500, INTERNAL: x",1\n'
    parsed = parse_locust_csv(stats, failures)
    assert [op.name for op in parsed.operations] == ["catalogue page", "sign in"]
    page = parsed.operations[0]
    assert (page.requests, page.failures, page.p50, page.p95, page.p99) == (95, 1, 96, 440, 670)
    assert parsed.operations[1].p95 == 0.0
    assert parsed.total is not None and parsed.total.rps == 5.6
    assert parsed.failures == [("catalogue page", "HTTP 500, INTERNAL: x", 1)]


def test_settings_are_checked_and_every_shopper_has_an_account() -> None:
    settings = LoadSettings.from_env({"LOADTEST_USERS": "25", "LOADTEST_SHOPPERS": "3"})
    assert settings.users == 25 and settings.shoppers == 25
    for env in (
        {"LOADTEST_USERS": "0"},
        {"LOADTEST_SECONDS": "soon"},
        {"LOADTEST_REDIS": "perhaps"},
        {"LOADTEST_TARGET": "localhost:4000"},
    ):
        with pytest.raises(SettingsError, match=next(iter(env))):
            LoadSettings.from_env(env)

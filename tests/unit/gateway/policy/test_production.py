"""Production hardening: no field suggestions, no subgraph error details."""

from __future__ import annotations

from graphql import build_schema, parse, validate

from gateway.policy.production import mask_subgraph_errors, strip_suggestions


def test_suggestions_are_stripped_from_graphql_core_messages() -> None:
    schema = build_schema("type Query { users: [String] user: String }")
    (error,) = validate(schema, parse("{ usrs }"))
    assert "Did you mean" in error.message
    assert strip_suggestions(error.message) == "Cannot query field 'usrs' on type 'Query'."


def test_messages_without_suggestions_are_kept() -> None:
    assert strip_suggestions("Unknown argument 'x'.") == "Unknown argument 'x'."
    several = "Value 'X' does not exist in 'E' enum. Did you mean the enum value 'A' or 'B'?"
    assert strip_suggestions(several) == "Value 'X' does not exist in 'E' enum."


def test_subgraph_errors_are_masked_with_the_request_id() -> None:
    response = {
        "data": {"user": None},
        "errors": [
            {
                "message": "psycopg.OperationalError: connection to 10.0.0.5 refused",
                "path": ["user"],
                "extensions": {
                    "code": "DOWNSTREAM_SERVICE_ERROR",
                    "serviceName": "users",
                    "stacktrace": ["Traceback ..."],
                },
            },
            {"message": "Cannot return null for non-nullable field User.name.", "path": ["user"]},
        ],
    }
    masked = mask_subgraph_errors(response, "req-1")
    assert masked["data"] == {"user": None}
    assert masked["errors"][0] == {
        "message": "A subgraph failed to answer part of this request (request id req-1).",
        "path": ["user"],
        "extensions": {"code": "DOWNSTREAM_SERVICE_ERROR", "requestId": "req-1"},
    }
    assert masked["errors"][1] == response["errors"][1]
    assert mask_subgraph_errors({"data": {}}, "r") == {"data": {}}


def test_errors_raised_for_the_client_keep_their_message_and_contract_in_production() -> None:
    refused = {
        "message": "Sign in to see your orders.",
        "path": ["myOrders"],
        "locations": [{"line": 1, "column": 3}],
        "extensions": {
            "code": "UNAUTHENTICATED",
            "serviceName": "orders",
            "exception": {"stacktrace": ["Traceback ..."]},
        },
    }
    invalid = {
        "message": "quantity must be at least 1.",
        "path": ["createOrder"],
        "extensions": {
            "code": "VALIDATION_FAILED",
            "serviceName": "orders",
            "field": "quantity",
            "problems": [{"field": "quantity", "message": "must be at least 1"}],
        },
    }
    masked = mask_subgraph_errors({"data": None, "errors": [refused, invalid]}, "req-2")
    assert masked["errors"] == [
        {
            "message": "Sign in to see your orders.",
            "path": ["myOrders"],
            "extensions": {"code": "UNAUTHENTICATED", "serviceName": "orders"},
        },
        {
            "message": "quantity must be at least 1.",
            "path": ["createOrder"],
            "extensions": invalid["extensions"],
        },
    ]


def test_a_login_challenge_reaches_the_client_in_production() -> None:
    challenge = {"token": "t", "algorithm": "sha256-leading-zero-bits", "difficulty": 16}
    asked = {
        "message": "Many failed logins came from your network: solve extensions.challenge.",
        "path": ["login"],
        "extensions": {
            "code": "CHALLENGE_REQUIRED",
            "serviceName": "users",
            "challenge": challenge,
        },
    }
    masked = mask_subgraph_errors({"data": None, "errors": [asked]}, "req-3")
    assert masked["errors"] == [asked]

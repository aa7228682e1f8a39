"""Read GraphQL-over-HTTP request parameters from a POST body or GET query string.

https://graphql.github.io/graphql-over-http/draft/#sec-Request-Parameters
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gateway.app.errors import BAD_REQUEST, RequestError
from gateway.policy.json_body import decode_json


@dataclass(frozen=True)
class GraphQLParams:
    """`query`, `variables`, `operationName` and `extensions` of one request; `query` is empty
    when the request names a persisted query by its hash alone (`extensions.persistedQuery`)."""

    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    operation_name: str | None = None
    extensions: dict[str, Any] = field(default_factory=dict)
    #: written by the gateway itself (the REST shims), not a client: the persisted-query
    #: policy does not apply
    trusted: bool = False


def params_from_body(raw: bytes, max_json_depth: int) -> GraphQLParams:
    """Parameters of a POST request; `RequestError` (400) when the body is not usable."""
    body = request_from_body(raw, max_json_depth)
    if isinstance(body, list):
        raise _bad("The request body must be a JSON object with a `query`.")
    return body


def request_from_body(raw: bytes, max_json_depth: int) -> GraphQLParams | list[Any]:
    """Parameters of a POST request, or the undecoded items of a batch (a JSON array); a body
    nesting deeper than `max_json_depth` is refused first (`PolicyError`, 400)."""
    try:
        body = decode_json(raw, max_json_depth)
    except ValueError:
        raise _bad("The request body is not valid JSON.") from None
    if isinstance(body, list):
        return body
    return params_from_value(body)


def params_from_value(body: Any) -> GraphQLParams:
    """Parameters from a decoded JSON value (a request body or one operation of a batch)."""
    if not isinstance(body, dict):
        raise _bad("The request body must be a JSON object with a `query`.")
    return _params(body)


def params_from_query_string(values: Mapping[str, str], max_json_depth: int) -> GraphQLParams:
    """Parameters of a GET request (`variables` and `extensions` are JSON-encoded strings, each
    refused past `max_json_depth` levels of nesting)."""
    decoded: dict[str, Any] = dict(values)
    for name in ("variables", "extensions"):
        if values.get(name):
            try:
                decoded[name] = decode_json(values[name], max_json_depth)
            except ValueError:
                raise _bad(f"The `{name}` parameter is not valid JSON.") from None
    return _params(decoded)


def _params(body: Mapping[str, Any]) -> GraphQLParams:
    query = body.get("query")
    extensions = body.get("extensions")
    if query is None and isinstance(extensions, dict) and "persistedQuery" in extensions:
        query = ""  # a persisted query named by its hash (gateway/policy/persisted_queries.py)
    elif not isinstance(query, str) or not query.strip():
        raise _bad("The request has no GraphQL `query` string.")
    variables = body.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise _bad("`variables` must be a JSON object.")
    operation_name = body.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise _bad("`operationName` must be a string.")
    if extensions is not None and not isinstance(extensions, dict):
        raise _bad("`extensions` must be a JSON object.")
    return GraphQLParams(query, variables or {}, operation_name or None, extensions or {})


def _bad(message: str) -> RequestError:
    return RequestError(400, BAD_REQUEST, message)

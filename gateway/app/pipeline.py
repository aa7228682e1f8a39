"""The GraphQL request pipeline, in order, in one function:
parse (cached) -> validate (cached) -> select operation -> coerce variables -> draw override
labels -> plan (cached per label set) -> execute -> respond."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from graphql import (
    GraphQLSyntaxError,
    OperationType,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

from gateway.app.errors import (
    BAD_REQUEST,
    BAD_USER_INPUT,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    METHOD_NOT_ALLOWED,
    RequestError,
)
from gateway.app.params import GraphQLParams
from gateway.app.state import Gateway
from gateway.execution import GraphQLResponse
from gateway.planning import (
    PlanningError,
    enabled_override_labels,
    plan_operation,
    select_operation,
)


async def run_graphql(
    gateway: Gateway,
    params: GraphQLParams,
    *,
    http_method: str = "POST",
    want_plan: bool = False,
    forwarded_headers: Mapping[str, str] | None = None,
    override_labels: Collection[str] = (),
) -> GraphQLResponse:
    """Run one GraphQL request; raise `RequestError` when it is refused before execution.
    `override_labels` are the progressive `@override` labels the request context enables
    (`percent(N)` labels are drawn here, per request)."""
    schema = gateway.supergraph.api_schema
    query = params.query

    try:
        document = gateway.documents.get_or_compute(query, lambda: parse(query))
    except GraphQLSyntaxError as exc:
        raise RequestError(
            400, GRAPHQL_PARSE_FAILED, exc.message, errors=[dict(exc.formatted)]
        ) from None

    errors = gateway.validations.get_or_compute(query, lambda: validate(schema, document))
    if errors:
        raise RequestError(
            400,
            GRAPHQL_VALIDATION_FAILED,
            errors[0].message,
            errors=[dict(error.formatted) for error in errors],
        )

    try:
        operation = select_operation(document, params.operation_name)
    except PlanningError as exc:
        raise RequestError(400, BAD_REQUEST, exc.message) from None
    if http_method == "GET" and operation.operation != OperationType.QUERY:
        # GraphQL over HTTP: only queries may be sent with GET (they must be safe to repeat).
        raise RequestError(
            405,
            METHOD_NOT_ALLOWED,
            f"Can only perform a {operation.operation.value} operation from a POST request.",
            headers={"Allow": "POST"},
        )

    coerced = get_variable_values(schema, operation.variable_definitions or (), params.variables)
    if isinstance(coerced, list):
        raise RequestError(
            400,
            BAD_USER_INPUT,
            coerced[0].message,
            errors=[dict(error.formatted) for error in coerced],
        )

    labels = enabled_override_labels(gateway.supergraph, override_labels, gateway.random)
    try:
        plan = gateway.plans.get_or_compute(
            (query, params.operation_name, labels),
            lambda: plan_operation(gateway.supergraph, document, params.operation_name, labels),
        )
    except PlanningError as exc:
        # A valid operation this gateway cannot plan: our shortcoming, not the client's.
        raise RequestError(500, exc.code, exc.message) from None

    response = await gateway.executor.execute(plan, params.variables, forwarded_headers)
    if want_plan and gateway.expose_plans:
        extensions: dict[str, Any] = response.setdefault("extensions", {})
        extensions["queryPlan"] = str(plan)
    return response

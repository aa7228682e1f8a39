"""The GraphQL request pipeline, in order, in one function:
rate limit per client -> persisted query (the document a hash names; the safelist) -> document
size -> parse under token and nesting limits (cached) -> rate
limit per operation -> validate under a budget (cached) -> select operation -> operation limits
and introspection (cached) -> coerce variables (errors never repeat a value) -> cost (cached
per variables) -> normalise (cached, computed only when authorization or planning needs it) ->
authorization (fields the caller may not see taken out, cached per kind of caller) -> draw
override labels -> plan (cached per label set and authorized variant) -> execute (identical
queries in flight share one execution: `coalesce.py`; subgraph answers through the entity cache
when it is on; shaping answers the fields taken out null) -> mask errors (production) ->
respond. Each step is a span while tracing is on (the cached ones through their cache,
`LruCache.step`).
Parsing and validating a document not seen before run on the CPU worker's thread (`cpu.py`).
Media type, body size, CSRF and JSON nesting are HTTP matters, checked before
(`intake.read_request`); a batch runs this once per operation (`batch.run_batch`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
)

from common import tracing
from common.auth import CLIENT_ADDRESS_HEADER, Identity
from common.request_id import current_request_id
from gateway.app.coalesce import canonical_json, coalesce_key, shared
from gateway.app.errors import (
    BAD_REQUEST,
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    METHOD_NOT_ALLOWED,
    RequestError,
)
from gateway.app.observe import annotate_operation
from gateway.app.params import GraphQLParams
from gateway.app.state import Gateway
from gateway.caching import cache_scope
from gateway.execution import GraphQLResponse
from gateway.planning import (
    NormalizedOperation,
    PlanningError,
    QueryPlan,
    enabled_override_labels,
    normalize_operation,
    plan_normalized,
    select_operation,
)
from gateway.policy.authorization import AuthorizedOperation
from gateway.policy.cost import check_cost, estimate_cost
from gateway.policy.document_size import check_document_size
from gateway.policy.input_values import coerce_variables
from gateway.policy.introspection import check_introspection
from gateway.policy.limits import check_limits, operation_shape
from gateway.policy.operation_key import operation_key
from gateway.policy.parsing import parse_limited
from gateway.policy.production import mask_subgraph_errors, without_suggestions
from gateway.policy.rate_limiter import ClientRateLimit
from gateway.policy.validation import check_validation_budget, validate_document


@dataclass(frozen=True)
class Prepared:
    """An operation checked, authorized and planned, ready to execute."""

    operation: OperationDefinitionNode
    plan: QueryPlan
    #: the caller's view of it (fields taken out), None without authorization rules
    authorized: AuthorizedOperation | None


async def run_graphql(
    gateway: Gateway,
    params: GraphQLParams,
    *,
    http_method: str = "POST",
    want_plan: bool = False,
    forwarded_headers: Mapping[str, str] | None = None,
    override_labels: Collection[str] = (),
    rate_limit: ClientRateLimit | None = None,
    identity: Identity | None = None,
    client_address: str | None = None,
    coalesce: bool = False,
) -> GraphQLResponse:
    """Run one GraphQL request; raise `RequestError` when it is refused before execution.
    `override_labels` are the progressive `@override` labels the request context enables
    (`percent(N)` labels are drawn here, per request). `identity` is the verified caller (None:
    anonymous); `forwarded_headers` already carry it to subgraphs as an internal token.
    `client_address` goes to subgraphs with mutations only (login throttling needs it; queries
    without it stay identical across clients, so in-flight de-duplication keeps working).
    `coalesce`: a query may share the execution of an identical one in flight (when the
    gateway's coalescer is on); its answer is then shared, and must not be changed."""
    prepared = await prepare_operation(
        gateway,
        params,
        http_method=http_method,
        override_labels=override_labels,
        rate_limit=rate_limit,
        identity=identity,
    )
    operation, plan, authorized = prepared.operation, prepared.plan, prepared.authorized
    if operation.operation == OperationType.SUBSCRIPTION:
        raise RequestError(
            400,
            BAD_REQUEST,
            "Subscriptions are served over WebSocket (graphql-transport-ws) on /graphql, or as "
            "Server-Sent Events: send Accept: text/event-stream.",
        )
    policy = gateway.policy
    removals = authorized.removals if authorized is not None else None
    if client_address is not None and operation.operation == OperationType.MUTATION:
        forwarded_headers = {**(forwarded_headers or {}), CLIENT_ADDRESS_HEADER: client_address}
    subject = identity.subject if identity is not None else None

    async def produce() -> GraphQLResponse:
        with tracing.span("execute"), cache_scope(subject) as cached:
            answer = await gateway.executor.execute(
                plan, params.variables, forwarded_headers, removals
            )
        if cached.hits or cached.misses:  # what came from the entity cache (gateway/caching)
            answer.setdefault("extensions", {})["cache"] = cached.summary()
        return answer

    coalescer = gateway.coalescer
    if coalesce and coalescer is not None and operation.operation == OperationType.QUERY:
        # Identical queries in flight share one execution (gateway/app/coalesce.py); from here
        # on the response may be shared, so it is never changed, only rebuilt at the top.
        same = coalesce_key(plan, authorized, params.variables, forwarded_headers, identity)
        response = await coalescer.run(same, shared(produce), anchors=(plan, authorized))
    else:
        response = await produce()
    if policy.production:
        response = mask_subgraph_errors(response, current_request_id())
    if want_plan and gateway.expose_plans:
        extensions = {**response.get("extensions", {}), "queryPlan": str(plan)}
        response = {**response, "extensions": extensions}
    return response


async def prepare_operation(
    gateway: Gateway,
    params: GraphQLParams,
    *,
    http_method: str = "POST",
    override_labels: Collection[str] = (),
    rate_limit: ClientRateLimit | None = None,
    identity: Identity | None = None,
) -> Prepared:
    """Every step before execution (see the module's docstring); `RequestError` on refusal."""
    schema = gateway.supergraph.api_schema
    policy = gateway.policy

    if rate_limit is not None:  # first: a refused client costs no parsing, no subgraph call
        await rate_limit.admit_client()
    query = params.query
    if not params.trusted:  # a hash becomes its document; a safelist refuses other documents
        query = await gateway.persisted_queries.resolve(params.query, params.extensions)

    # Parsing and validating a new document is CPU work: off the event loop (gateway.cpu).
    check_document_size(query, policy.max_document_bytes)
    try:
        document = await gateway.documents.get_or_compute_async(
            query,
            lambda: gateway.cpu.run(
                parse_limited, query, max_tokens=policy.max_tokens, max_depth=policy.max_depth
            ),
        )
    except GraphQLSyntaxError as exc:
        raise RequestError(
            400, GRAPHQL_PARSE_FAILED, exc.message, errors=[dict(exc.formatted)]
        ) from None

    if rate_limit is not None:  # per operation, whatever its name and layout
        key = await gateway.operation_keys.get_or_compute_async(
            (query, params.operation_name),
            lambda: gateway.cpu.run(operation_key, document, params.operation_name),
        )
        await rate_limit.admit_operation(key)

    errors = await gateway.validations.get_or_compute_async(
        query,
        lambda: gateway.cpu.run(validate_document, schema, document, policy.validation_budget),
    )
    check_validation_budget(errors)
    if errors:
        formatted: list[dict[str, Any]] = [dict(error.formatted) for error in errors]
        if policy.production:  # suggestions would reveal the schema
            formatted = without_suggestions(formatted)
        raise RequestError(
            400, GRAPHQL_VALIDATION_FAILED, formatted[0]["message"], errors=formatted
        )

    try:
        operation = select_operation(document, params.operation_name)
    except PlanningError as exc:
        raise RequestError(400, BAD_REQUEST, exc.message) from None
    annotate_operation(operation)
    if http_method == "GET" and operation.operation != OperationType.QUERY:
        # GraphQL over HTTP: only queries may be sent with GET (they must be safe to repeat).
        raise RequestError(
            405,
            METHOD_NOT_ALLOWED,
            f"Can only perform a {operation.operation.value} operation from a POST request.",
            headers={"Allow": "POST"},
        )
    shape = gateway.shapes.get_or_compute(
        (query, params.operation_name), lambda: operation_shape(document, operation)
    )
    check_limits(shape, policy)
    check_introspection(shape.introspects, policy.introspection)

    coerced = coerce_variables(schema, operation, params.variables)
    # The cost follows from the document and the variables as sent (coercion is deterministic).
    cost = gateway.costs.get_or_compute(
        (query, params.operation_name, canonical_json(params.variables or {})),
        lambda: estimate_cost(schema, document, operation, coerced, policy.default_list_size),
    )
    check_cost(cost, policy.max_cost)

    # One normalised operation per document and operation name, for authorization and the
    # planner; looked up only when one of them is not cached (the limits, the introspection
    # switch and the cost above count the document without expanding its fragments).
    def normalized() -> NormalizedOperation:
        return gateway.operations.get_or_compute(
            (query, params.operation_name),
            lambda: normalize_operation(document, params.operation_name, gateway.supergraph.schema),
        )

    # Authorization: fields the caller may not see are taken out before planning and answered
    # null by shaping (gateway/policy/authorization/); nothing to do without requirements.
    authorized: AuthorizedOperation | None = None
    if gateway.authorization is not None:
        authorized = authorize(gateway, query, params.operation_name, normalized, identity)

    labels = enabled_override_labels(gateway.supergraph, override_labels, gateway.random)
    variant = authorized.variant if authorized is not None else ""
    try:
        plan = gateway.plans.get_or_compute(
            (query, params.operation_name, labels, variant),
            lambda: plan_normalized(
                gateway.supergraph,
                authorized.operation if authorized is not None else normalized(),
                labels,
            ),
        )
    except PlanningError as exc:
        # A valid operation this gateway cannot plan: our shortcoming, not the client's.
        raise RequestError(500, exc.code, exc.message) from None
    return Prepared(operation, plan, authorized)


def authorize(
    gateway: Gateway,
    query: str,
    operation_name: str | None,
    normalized: Callable[[], NormalizedOperation],
    identity: Identity | None,
) -> AuthorizedOperation:
    """The operation as `identity` may run it, cached per kind of caller."""
    rules = gateway.authorization
    assert rules is not None
    caller = rules.caller(identity)
    return gateway.authorizations.get_or_compute(
        (query, operation_name, caller),
        lambda: rules.authorize(normalized(), caller),
    )

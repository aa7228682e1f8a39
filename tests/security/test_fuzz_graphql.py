"""Property-based fuzzing of the GraphQL API (hypothesis-graphql): valid operations generated
from the API schema, with hostile scalar values (any character, NUL and half surrogate pairs
included; any text where a DateTime goes), sent to the running gateway anonymously, as a user
and as an admin. No answer may be a 5xx or carry INTERNAL, and no process of the stack may log a
traceback.

Bounded: a fixed number of examples per caller, derandomized (the same operations every run),
no deadline. Admin mutations change data at random, so this module runs after every other
module of the suite (conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC

import graphql
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, queries

from tests.security.arguments import api_schema, as_variables, errors_of, post
from tests.support.stack import RunningStack

SCHEMA = api_schema()
EXAMPLES = 50


def _text(value: str) -> graphql.StringValueNode:
    return graphql.StringValueNode(value=value)


#: Strategies for the custom scalars a client can send: a DateTime is any text too.
SCALARS = {
    "DateTime": st.one_of(
        st.datetimes(timezones=st.just(UTC)).map(lambda moment: _text(moment.isoformat())),
        st.text(max_size=40).map(_text),
    ),
    "JSON": st.just(_text("{}")),
}
STRATEGIES: dict[str, Callable[..., st.SearchStrategy[str]]] = {
    "query": queries,
    "mutation": mutations,
}
CALLERS = [
    pytest.param("query", None, id="queries-anonymous"),
    pytest.param("query", 2, id="queries-as-a-user"),
    pytest.param("mutation", 2, id="mutations-as-a-user"),
    pytest.param("mutation", "admin", id="mutations-as-an-admin"),
]


@pytest.mark.parametrize(("kind", "caller"), CALLERS)
def test_generated_operations_never_fail_on_the_server(
    target: RunningStack, kind: str, caller: int | str | None
) -> None:
    headers = {"X-Forwarded-For": "10.99.0.1"}
    if caller == "admin":
        headers |= target.admin
    elif isinstance(caller, int):
        headers |= target.auth(user_id=caller)
    strategy = STRATEGIES[kind](
        SCHEMA, custom_scalars=SCALARS, codec=None, allow_x00=True, print_ast=lambda node: node
    )

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy, st.booleans())
    # Found by this test: a sibling of a field that fails non-null is cancelled mid-query, and
    # the orders subgraph closed the request's session under the query (a traceback).
    @example(
        graphql.parse("{ order(id: 6) { cancellationReason } orders(pageSize: 32000) { id } }"),
        False,
    )
    def check(operation: graphql.DocumentNode, in_variables: bool) -> None:
        # As most clients send them (in variables, where JSON can carry any text, half a
        # surrogate pair included), or written into the document.
        if in_variables:
            document, variables = as_variables(SCHEMA, operation)
        else:
            document, variables = graphql.print_ast(operation), None
        answer = post(target, document, variables, headers)
        assert answer.status_code < 500, (document, answer.text[:500])
        codes = {error.get("extensions", {}).get("code") for error in errors_of(answer.json())}
        assert "INTERNAL" not in codes, (document, answer.text[:500])

    check()


def test_no_process_of_the_stack_logged_a_traceback(target: RunningStack) -> None:
    logs = sorted(target.log_dir.rglob("*.log"))
    assert logs
    tracebacks = {
        log.name: [
            line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line
        ]
        for log in logs
    }
    # The whole line of the first one says which request and where (the logs are JSON lines).
    assert {name: lines[0] for name, lines in tracebacks.items() if lines} == {}

"""Operation limits that held when the system was attacked (issue 12), kept so they cannot regress:
depth, aliases, root fields, expanded fields, tokens, document size, estimated cost, batching.
Each refusal is a 400 with its code, before any subgraph is asked. (Directives per field cannot
pass validation past the limit with the built-in directives: tests/unit/gateway/policy/
test_limits.py has it.)"""

from __future__ import annotations

import httpx
import pytest

from tests.support.stack import RunningStack


@pytest.mark.parametrize(
    ("document", "code"),
    [
        pytest.param(
            "{ users { items { " + "orders { user { " * 7 + "id" + " } }" * 7 + " } } }",
            "MAX_DEPTH_LIMIT",
            id="depth",
        ),
        pytest.param("{" + "{" * 300 + "}" * 300 + "}", "MAX_DEPTH_LIMIT", id="brackets"),
        pytest.param(
            "{" + " ".join(f"a{i}: __typename" for i in range(31)) + "}",
            "MAX_ALIASES_LIMIT",
            id="aliases",
        ),
        pytest.param("{" + " __typename" * 21 + "}", "MAX_ROOT_FIELDS_LIMIT", id="root-fields"),
        pytest.param("{" + " a" * 5001 + "}", "MAX_TOKENS_LIMIT", id="tokens"),
        pytest.param("{ __typename }" + " " * (65 * 1024), "DOCUMENT_TOO_LARGE", id="size"),
        pytest.param(
            "{ users(pageSize: 100) { items { orders { user { orders { user { orders { items "
            "{ quantity product { id name } } } } } } } } } }",
            "COST_ESTIMATED_TOO_EXPENSIVE",
            id="cost",
        ),
        # No alias, and an empty page costs nothing: each fragment spread twice would make
        # normalising the operation expand 2^40 fields (CPU for ever) if it were let through.
        pytest.param(
            "{ products(pageSize: 0) { items { ...F0 } } } "
            + " ".join(f"fragment F{i} on Product {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
            + " fragment F40 on Product { id name }",
            "MAX_FIELDS_LIMIT",
            id="fragment-bomb",
        ),
    ],
)
def test_an_operation_past_a_limit_is_a_coded_400(
    target: RunningStack, document: str, code: str
) -> None:
    before = target.graphql_requests_served("users")
    answer = target.graphql(document)
    assert answer.status_code == 400, answer.text
    assert answer.json()["errors"][0]["extensions"]["code"] == code
    assert target.graphql_requests_served("users") == before  # no subgraph was asked


def test_batches_are_off_unless_enabled(target: RunningStack) -> None:
    answer = httpx.post(
        f"{target.gateway_url}/graphql",
        json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}],
        timeout=30,
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["extensions"]["code"] == "BATCHING_NOT_ENABLED"

"""Identity on the running system: the gateway verifies client tokens before any subgraph
work, and subgraphs answer only the gateway (its internal token), whoever else calls them."""

from __future__ import annotations

import jwt

from common.auth import AuthSettings, issue_token
from devstack.stack import SUBGRAPHS
from tests.support.stack import AUTH, RunningStack

PRODUCTS = "{ products(pageSize: 1) { pageInfo { totalCount } } }"
ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }"


def served(stack: RunningStack) -> dict[str, float]:
    return {s.name: stack.graphql_requests_served(s.name) for s in SUBGRAPHS}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_bad_client_tokens_are_401_before_any_subgraph_call(stack: RunningStack) -> None:
    now = 1_700_000_000  # long ago: expired
    other = {"auth_jwt_secret": AUTH.auth_jwt_secret}
    tokens = {
        "expired": issue_token("ada", ["admin"], AUTH, now=now),
        "wrong audience": issue_token(
            "ada", ["admin"], AuthSettings(**other, auth_jwt_audience="another-system")
        ),
        "wrong issuer": issue_token(
            "ada", ["admin"], AuthSettings(**other, auth_jwt_issuer="someone-else")
        ),
        "wrong secret": issue_token(
            "ada", ["admin"], AuthSettings(auth_jwt_secret="not-this-stack-secret-0123456789")
        ),
        "alg none": jwt.encode(
            {"sub": "ada", "roles": ["admin"], "iss": AUTH.auth_jwt_issuer}, None, "none"
        ),
    }
    before = served(stack)
    for name, token in tokens.items():
        response = stack.graphql(PRODUCTS, headers=bearer(token))
        assert response.status_code == 401, name
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", name
        assert "invalid_token" in response.headers["www-authenticate"], name
    assert served(stack) == before


def test_valid_and_absent_tokens_are_served(stack: RunningStack) -> None:
    anonymous = stack.data(PRODUCTS)
    signed_in = stack.data(PRODUCTS, headers=stack.auth("user", user_id=1))
    assert anonymous == signed_in
    assert anonymous["products"]["pageInfo"]["totalCount"] >= 1


def test_subgraphs_reached_directly_answer_only_the_sdl(stack: RunningStack) -> None:
    client_token = bearer(stack.token("admin"))
    for subgraph in SUBGRAPHS:
        name = subgraph.name
        sdl = stack.graphql("{ _service { sdl } }", service=name)
        assert sdl.status_code == 200 and "_service" not in sdl.json().get("errors", []), name
        variables = {"r": [{"__typename": "User", "id": "1"}]}
        for headers in ({}, client_token):
            refused = stack.graphql(ENTITIES, variables, service=name, headers=headers)
            assert refused.status_code == 401, name
            assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        vouched = stack.graphql(
            "{ __typename }", service=name, headers=stack.internal_headers("admin")
        )
        assert vouched.json() == {"data": {"__typename": "Query"}}, name

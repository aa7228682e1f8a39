"""Client tokens at the gateway: verified before anything else, passed on as internal tokens."""

from __future__ import annotations

from typing import Any

import httpx
import jwt

from common.auth import (
    CLIENT_ADDRESS_HEADER,
    INTERNAL_TOKEN_HEADER,
    AuthSettings,
    InternalTokens,
    issue_token,
)
from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.supergraph import Supergraph
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse

QUERY = {"query": "{ orders { items { id } } }"}


def answer(request: SubgraphRequest) -> SubgraphResponse:
    if "confirmOrder" in request.query:
        return SubgraphResponse({"confirmOrder": {"id": "o1"}})
    return SubgraphResponse({"orders": {"items": [{"id": "o1"}]}})


def make_client(
    supergraph: Supergraph, **settings: Any
) -> tuple[httpx.AsyncClient, MockSubgraphClient]:
    mock = MockSubgraphClient(answer)
    app = create_app(GatewaySettings(**settings), supergraph=supergraph, client=mock, environ={})
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://gateway"), mock


def settings() -> AuthSettings:
    """The settings the app reads (the autouse `auth_secret` fixture sets the secrets)."""
    return AuthSettings()


def internal_caller(request: SubgraphRequest) -> Any:
    return InternalTokens(settings().auth_internal_secret).verify(
        request.headers[INTERNAL_TOKEN_HEADER]
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_anonymous_callers_reach_subgraphs_as_anonymous(users_orders: Supergraph) -> None:
    client, mock = make_client(users_orders)
    response = await client.post("/graphql", json=QUERY)

    assert response.status_code == 200
    [request] = mock.requests
    assert internal_caller(request) is None


async def test_a_user_token_becomes_the_subgraphs_identity(users_orders: Supergraph) -> None:
    client, mock = make_client(users_orders)
    token = issue_token("user:7", ["user"], settings(), extra_claims={"uid": 7})
    response = await client.post("/graphql", json=QUERY, headers=bearer(token))

    assert response.status_code == 200, response.json()
    caller = internal_caller(mock.requests[0])
    assert caller is not None
    assert (caller.subject, caller.user_id, caller.roles, caller.scopes) == (
        "user:7",
        7,
        {"user"},
        {"user"},
    )


async def test_bad_tokens_are_401_and_reach_no_subgraph(users_orders: Supergraph) -> None:
    client, mock = make_client(users_orders)
    now = 1_700_000_000
    expired = issue_token("ada", ["user"], settings(), now=now)
    wrong_audience = issue_token("ada", ["user"], AuthSettings(auth_jwt_audience="other"))
    unsigned = jwt.encode({"sub": "ada", "roles": ["admin"]}, key=None, algorithm="none")
    cases = {
        "expired": bearer(expired),
        "audience": bearer(wrong_audience),
        "alg none": bearer(unsigned),
        "garbage": bearer("not-a-jwt"),
        "scheme": {"Authorization": f"Basic {expired}"},
        "empty": {"Authorization": "Bearer "},
    }
    for name, headers in cases.items():
        response = await client.post("/graphql", json=QUERY, headers=headers)
        error = response.json()["errors"][0]
        assert response.status_code == 401, name
        assert error["extensions"]["code"] == "UNAUTHENTICATED", name
        assert response.headers["www-authenticate"].startswith('Bearer realm="graphql"'), name
    assert mock.requests == []


async def test_the_client_address_goes_with_mutations_only(users_orders: Supergraph) -> None:
    client, mock = make_client(users_orders)
    await client.post("/graphql", json=QUERY)
    await client.post("/graphql", json={"query": 'mutation { confirmOrder(id: "o1") { id } }'})

    query_headers, mutation_headers = (r.headers for r in mock.requests)
    assert CLIENT_ADDRESS_HEADER not in query_headers
    assert mutation_headers[CLIENT_ADDRESS_HEADER] == "127.0.0.1"


async def test_client_headers_are_forwarded_only_when_configured(
    users_orders: Supergraph,
) -> None:
    token = issue_token("ada", ["user"], settings())
    quiet, quiet_mock = make_client(users_orders)
    loud, loud_mock = make_client(users_orders, forward_headers="Authorization, X-Tenant")
    for client in (quiet, loud):
        await client.post("/graphql", json=QUERY, headers={**bearer(token), "X-Tenant": "t1"})

    assert "authorization" not in quiet_mock.requests[0].headers
    assert loud_mock.requests[0].headers["authorization"] == f"Bearer {token}"
    assert loud_mock.requests[0].headers["x-tenant"] == "t1"


async def test_rate_limits_follow_the_subject_not_the_address(users_orders: Supergraph) -> None:
    client, mock = make_client(
        users_orders, rate_limit=0.01, rate_burst=1, trust_forwarded_for=True
    )
    ada = bearer(issue_token("ada", ["user"], settings()))
    bob = bearer(issue_token("bob", ["user"], settings()))

    first = await client.post("/graphql", json=QUERY, headers={**ada, "X-Forwarded-For": "1.1.1.1"})
    moved = await client.post("/graphql", json=QUERY, headers={**ada, "X-Forwarded-For": "2.2.2.2"})
    other = await client.post("/graphql", json=QUERY, headers={**bob, "X-Forwarded-For": "1.1.1.1"})
    anonymous = await client.post("/graphql", json=QUERY, headers={"X-Forwarded-For": "1.1.1.1"})

    assert first.status_code == 200
    assert moved.status_code == 429  # same subject from another address: same bucket
    assert other.status_code == 200  # another subject from the same address: its own bucket
    assert anonymous.status_code == 200  # the address's own bucket
    assert len(mock.requests) == 3

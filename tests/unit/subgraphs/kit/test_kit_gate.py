"""The gate in front of a subgraph's /graphql: only the gateway's internal token gets in."""

from __future__ import annotations

import httpx
import pytest

from common.auth import (
    CLIENT_ADDRESS_HEADER,
    INTERNAL_TOKEN_HEADER,
    AuthSettings,
    Identity,
    InternalTokens,
    issue_token,
)
from common.auth.settings import DEFAULT_INTERNAL_SECRET
from subgraphs.kit.app import create_service_app
from subgraphs.kit.gate import InternalTokenGate
from subgraphs.users.app import SUBGRAPH
from subgraphs.users.models import UsersBase
from subgraphs.users.settings import UserServiceSettings

TOKENS = InternalTokens(DEFAULT_INTERNAL_SECRET)
SDL_QUERY = {"query": "{ _service { sdl } }"}
USERS_QUERY = {"query": "{ users { items { id } } }"}


@pytest.fixture
async def client(make_engine):
    engine = await make_engine(UsersBase.metadata)
    app = create_service_app(SUBGRAPH, UserServiceSettings(env="development"), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://users") as http:
        yield http


def refused(response: httpx.Response) -> bool:
    body = response.json()
    return (
        response.status_code == 401
        and body["data"] is None
        and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    )


async def test_without_a_token_only_the_sdl_is_served(client) -> None:
    sdl = await client.post("/graphql", json=SDL_QUERY)
    typename = await client.post("/graphql", json={"query": "{ __typename }"})
    users = await client.post("/graphql", json=USERS_QUERY)
    mixed = await client.post("/graphql", json={"query": "{ _service { sdl } users { total } }"})
    entities = await client.post(
        "/graphql",
        json={
            "query": "query($r: [_Any!]!) { _entities(representations: $r) { __typename } }",
            "variables": {"r": [{"__typename": "User", "id": "1"}]},
        },
    )

    assert sdl.status_code == 200 and "type User" in sdl.json()["data"]["_service"]["sdl"]
    assert typename.json() == {"data": {"__typename": "Query"}}
    assert refused(users) and "gateway" in users.json()["errors"][0]["message"]
    assert refused(mixed)
    assert refused(entities)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"query": "{ _service { sdl } } fragment F on Query { users { total } }"}',
        b'{"query": "{ ...F } fragment F on Query { _service { sdl } }"}',
        b'{"query": "mutation { __typename }"}',
        b'{"query": 42}',
        b'{"query": "{ _service { sdl "}',
    ],
)
async def test_anything_but_a_plain_sdl_query_is_refused(client, body: bytes) -> None:
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json"}
    )
    assert refused(response)


async def test_get_queries_are_gated_too(client) -> None:
    assert (
        await client.get("/graphql", params={"query": "{ _service { sdl } }"})
    ).status_code == 200
    assert refused(await client.get("/graphql", params={"query": "{ users { total } }"}))


async def test_a_client_token_is_not_an_internal_token(client) -> None:
    """A token the gateway accepts from clients is no key to a subgraph."""
    client_token = issue_token("admin", ["admin"], AuthSettings())
    for headers in (
        {INTERNAL_TOKEN_HEADER: client_token},
        {"Authorization": f"Bearer {client_token}"},
        {INTERNAL_TOKEN_HEADER: InternalTokens("another-secret-" * 3).issue(None)},
    ):
        assert refused(await client.post("/graphql", json=USERS_QUERY, headers=headers))


async def test_an_expired_internal_token_is_refused(client) -> None:
    old = InternalTokens(DEFAULT_INTERNAL_SECRET, ttl_seconds=60, clock=lambda: 1_000_000.0)
    response = await client.post(
        "/graphql",
        json=USERS_QUERY,
        headers={INTERNAL_TOKEN_HEADER: old.issue(Identity("x", roles=frozenset({"admin"})))},
    )
    assert refused(response) and "expired" in response.json()["errors"][0]["message"]


async def test_the_context_gets_the_identity_and_the_client_address() -> None:
    seen: dict[str, object] = {}

    async def app(scope, receive, send) -> None:
        seen.update(scope["state"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    gate = InternalTokenGate(app, TOKENS)
    user = Identity("user:7", user_id=7, roles=frozenset({"user"}), scopes=frozenset({"user"}))
    transport = httpx.ASGITransport(app=gate)
    async with httpx.AsyncClient(transport=transport, base_url="http://s") as http:
        await http.post(
            "/graphql",
            json=USERS_QUERY,
            headers={
                INTERNAL_TOKEN_HEADER: TOKENS.issue(user),
                CLIENT_ADDRESS_HEADER: "203.0.113.5",
            },
        )
        assert seen == {"identity": user, "client_address": "203.0.113.5"}
        seen.clear()
        await http.post(
            "/graphql", json=USERS_QUERY, headers={INTERNAL_TOKEN_HEADER: TOKENS.issue(None)}
        )
        assert seen == {"identity": None, "client_address": None}


async def test_a_websocket_needs_a_valid_token_before_it_is_accepted() -> None:
    reached: list[object] = []

    async def app(scope, receive, send) -> None:
        reached.append(scope["state"]["identity"])

    async def receive():
        return {"type": "websocket.connect"}

    sent: list[dict[str, object]] = []

    async def send(message) -> None:
        sent.append(message)

    gate = InternalTokenGate(app, TOKENS)
    ada = Identity("user:1", user_id=1, roles=frozenset({"user"}))

    def scope(*headers: tuple[bytes, bytes]) -> dict[str, object]:
        return {"type": "websocket", "path": "/graphql", "headers": list(headers)}

    await gate(scope(), receive, send)
    await gate(scope((INTERNAL_TOKEN_HEADER.encode(), b"not-a-token")), receive, send)
    await gate(scope((INTERNAL_TOKEN_HEADER.encode(), TOKENS.issue(ada).encode())), receive, send)

    assert sent == [{"type": "websocket.close", "code": 4401}] * 2
    assert reached == [ada]

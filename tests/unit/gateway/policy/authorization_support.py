"""In-process subgraphs for the authorization tests: the fixture `authorization` supergraph's
subgraphs, executed by graphql-core from their SDL and a little data (no socket opened)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphql import graphql

from common.auth import Identity
from gateway.app.params import GraphQLParams
from gateway.app.pipeline import run_graphql
from gateway.app.state import Gateway
from gateway.execution import PlanExecutor
from gateway.policy.settings import PolicySettings
from gateway.supergraph import Supergraph, load_supergraph
from gateway.transport import MockSubgraphClient, SubgraphRequest, SubgraphResponse
from tests.federation.model import SubgraphData
from tests.federation.subgraph_server import (
    SubgraphResolvers,
    build_subgraph_schema,
    default_resolver,
)

FIXTURES = Path(__file__).resolve().parents[1] / "supergraph" / "fixtures"
SOURCES = FIXTURES / "sources" / "authorization"

ADA = {
    "id": "u1",
    "name": "Ada",
    "email": "ada@example.com",
    "ssn": "111",
    "audit": {"entries": ["login"]},
    "manager": None,
}
BOB = {**ADA, "id": "u2", "name": "Bob", "email": "bob@example.com", "ssn": "222", "manager": {}}
ACME = {"id": "o1", "name": "Acme", "website": "acme.example"}


def _accounts() -> SubgraphData:
    data = SubgraphData(rows={"User": [dict(ADA), dict(BOB)], "Organization": [dict(ACME)]})
    users = data.rows["User"]
    users[1]["manager"] = users[0]

    def node(_: Any, __: Any, id: str) -> Any:
        return data.find("User", id=id) or data.find("Organization", id=id)

    def rename(_: Any, __: Any, id: str, name: str) -> Any:
        user = data.find("User", id=id)
        if user is not None:
            user["name"] = name
        return user

    data.resolvers = {
        "Query": {
            "me": lambda *_: users[0],
            "user": lambda _, __, id: data.find("User", id=id),
            "users": lambda *_: users,
            "node": node,
            "search": lambda *_, **__: [users[0], data.rows["Organization"][0]],
            "organization": lambda _, __, id: data.find("Organization", id=id),
        },
        "Mutation": {"renameUser": rename, "ping": lambda *_: "pong"},
    }
    return data


def _billing() -> SubgraphData:
    return SubgraphData(
        rows={
            "User": [
                {"id": "u1", "balance": 5, "invoices": [{"id": "i1", "total": 7}]},
                {"id": "u2", "balance": 0, "invoices": []},
            ]
        },
        resolvers={"Query": {"plans": lambda *_: [{"name": "Basic", "price": 10, "tier": "FREE"}]}},
    )


class Subgraphs:
    """The fixture's subgraphs answering in process; `requests` records what they were asked."""

    def __init__(self) -> None:
        data = {"accounts": _accounts(), "billing": _billing()}
        self.resolvers = {
            name: SubgraphResolvers(
                build_subgraph_schema(name, (SOURCES / f"{name}.graphql").read_text()),
                data[name],
            )
            for name in data
        }
        self.client = MockSubgraphClient(self._answer)

    @property
    def requests(self) -> list[SubgraphRequest]:
        return self.client.requests

    async def _answer(self, request: SubgraphRequest) -> SubgraphResponse:
        schema = self.resolvers[request.subgraph].built.schema
        result = await graphql(
            schema,
            request.query,
            variable_values=dict(request.variables),
            field_resolver=default_resolver,
        )
        errors = tuple(dict(e.formatted) for e in result.errors or ())
        return SubgraphResponse(result.data, errors)


def supergraph() -> Supergraph:
    return load_supergraph(FIXTURES / "authorization.graphql")


def gateway(
    subgraphs: Subgraphs,
    policies: dict[str, list[str]] | None = None,
    loaded: Supergraph | None = None,
) -> Gateway:
    """A gateway over the in-process subgraphs; `policies` as GATEWAY_AUTHORIZATION_POLICIES."""
    loaded = loaded or supergraph()
    rules = tuple(sorted((k, frozenset(v)) for k, v in (policies or {}).items()))
    return Gateway(
        supergraph=loaded,
        executor=PlanExecutor(loaded, subgraphs.client),
        breaker_states=dict,
        policy=PolicySettings(max_cost=10**9, authorization_policies=rules),
    )


def identity(*roles: str, scopes: tuple[str, ...] = (), user_id: int = 1) -> Identity:
    """A verified caller with `roles` and `scopes` (the roles are scopes too, as our tokens)."""
    return Identity(
        subject=f"user:{user_id}",
        user_id=user_id,
        roles=frozenset(roles),
        scopes=frozenset(roles) | frozenset(scopes),
    )


async def run(
    gate: Gateway,
    query: str,
    caller: Identity | None = None,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
) -> dict[str, Any]:
    return await run_graphql(
        gate, GraphQLParams(query, variables or {}, operation_name), identity=caller
    )

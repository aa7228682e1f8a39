"""The running system for tests: every subgraph and the gateway as real processes on free ports.

Used by `tests/integration/` (one stack per backend, shared) and `tests/security/`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx

from common.auth import ADMIN, AuthSettings, Identity, issue_token
from devstack.processes import ROOT, Service, free_port, start, stop, wait_healthy
from devstack.stack import SUBGRAPHS, gateway_service, subgraph_service
from tests.support.identity import internal_headers

SUPERGRAPH = ROOT / "schema" / "supergraph.graphql"
#: The secrets every process of a test stack shares (long enough not to be warned about).
AUTH_ENV = {
    "AUTH_JWT_SECRET": "integration-tests-client-token-secret-0123456789",
    "AUTH_INTERNAL_SECRET": "integration-tests-internal-token-secret-0123456789",
}
AUTH = AuthSettings(
    auth_jwt_secret=AUTH_ENV["AUTH_JWT_SECRET"],
    auth_internal_secret=AUTH_ENV["AUTH_INTERNAL_SECRET"],
)


@dataclass
class RunningStack:
    """The processes of one stack and clients for them."""

    backend: str
    services: dict[str, Service]
    log_dir: Path
    #: headers every request of this view sends (see `as_admin`)
    default_headers: dict[str, str] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return self.services["gateway"].url

    def url(self, name: str) -> str:
        return self.services[name].url

    def graphql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        service: str = "gateway",
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST a GraphQL request to the gateway (or straight to a subgraph)."""
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        sent = {**self.default_headers, **(headers or {})}
        return httpx.post(f"{self.url(service)}/graphql", json=body, headers=sent, timeout=30)

    def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> Any:
        """The `data` of a request that must succeed without errors."""
        response = self.graphql(query, variables, **kw)
        payload = response.json()
        assert response.status_code == 200, payload
        assert "errors" not in payload, payload
        return payload["data"]

    def token(self, *roles: str, user_id: int | None = None, subject: str | None = None) -> str:
        """A client token this stack's gateway accepts: a user's when `user_id` is given
        (roles default to `user`), else a client's (`subject` defaults to `test-client`)."""
        if user_id is not None:
            granted = roles or ("user",)
            extra = {"uid": user_id}
            subject = subject or f"user:{user_id}"
        else:
            granted, extra, subject = roles, {}, subject or "test-client"
        return issue_token(subject, granted, AUTH, extra_claims=extra)

    def auth(self, *roles: str, user_id: int | None = None) -> dict[str, str]:
        """The `Authorization` header of `token(*roles, user_id=...)`."""
        return {"Authorization": f"Bearer {self.token(*roles, user_id=user_id)}"}

    @property
    def admin(self) -> dict[str, str]:
        """Headers of an admin client."""
        return self.auth(ADMIN)

    def as_admin(self) -> RunningStack:
        """This stack, seen by a client sending an admin token with every request."""
        return replace(self, default_headers=self.admin)

    def internal_headers(self, *roles: str, user_id: int | None = None) -> dict[str, str]:
        """What the gateway sends a subgraph for such a caller (no roles, no user: anonymous);
        for tests that call a subgraph directly."""
        identity = None
        if roles or user_id is not None:
            granted = frozenset(roles or ("user",))
            subject = f"user:{user_id}" if user_id is not None else "test-client"
            identity = Identity(subject, user_id=user_id, roles=granted, scopes=granted)
        return internal_headers(identity, AUTH.auth_internal_secret)

    def graphql_requests_served(self, name: str) -> float:
        """How many POST /graphql requests a subgraph has served, from its /metrics."""
        text = httpx.get(f"{self.url(name)}/metrics", timeout=10).text
        total = 0.0
        for line in text.splitlines():
            if line.startswith("#") or "_requests_total{" not in line:
                continue
            if 'path="/graphql"' in line and 'method="POST"' in line:
                total += float(line.rsplit(" ", 1)[1])
        return total


def start_stack(
    backend: str,
    db_urls: dict[str, str],
    log_dir: Path,
    extra_env: Mapping[str, str] | None = None,
    gateway_env: Mapping[str, str] | None = None,
) -> RunningStack:
    """Start every subgraph and the gateway; `extra_env` goes to every subgraph process,
    `gateway_env` to the gateway.

    Events travel on an event log of this stack's own (not the repository's `var/events.db`),
    unless `extra_env` chooses otherwise (`REDIS_ENABLED=true` and an `EVENTS_STREAM`).
    """
    ports = {sg.name: free_port() for sg in SUBGRAPHS}
    env = {
        **AUTH_ENV,
        "REDIS_ENABLED": "false",
        "EVENTS_LOG_URL": f"sqlite+aiosqlite:///{log_dir / 'events.db'}",
        **(extra_env or {}),
    }
    services: dict[str, Service] = {}
    try:
        for sg in SUBGRAPHS:
            services[sg.name] = start(
                subgraph_service(
                    sg, ports[sg.name], db_url=db_urls[sg.name], log_dir=log_dir, extra_env=env
                )
            )
        # Tests stand for clients at other addresses with X-Forwarded-For (login throttling
        # counts failures per address).
        gateway_env = {
            **AUTH_ENV,
            "GATEWAY_TRUST_FORWARDED_FOR": "true",
            # Idempotency keys in the stack's own database (a throwaway one on PostgreSQL).
            "GATEWAY_IDEMPOTENCY_DATABASE_URL": db_urls.get(
                "gateway", f"sqlite+aiosqlite:///{log_dir / 'gateway'}.db"
            ),
            **(gateway_env or {}),
        }
        services["gateway"] = start(
            gateway_service(free_port(), SUPERGRAPH, ports, log_dir=log_dir, extra_env=gateway_env)
        )
        for service in services.values():
            wait_healthy(service, timeout=90)
    except BaseException:
        stop(list(services.values()))
        raise
    return RunningStack(backend, services, log_dir)

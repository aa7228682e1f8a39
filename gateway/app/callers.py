"""Who is behind one HTTP request, and the headers that tell the subgraphs.

Shared by `/graphql` and the REST shims so both identify callers the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.requests import HTTPConnection, Request

from common.auth import INTERNAL_TOKEN_HEADER, Identity, InternalTokens
from gateway.policy.authentication import Authenticator
from gateway.policy.errors import PolicyError
from gateway.policy.rate_limit import client_address

#: Where a request's resolved caller is kept (in its ASGI scope).
_CALLER = "gateway.caller"


@dataclass(frozen=True)
class Caller:
    """The verified caller of one request (None: anonymous), where it connects from, and what
    to send the subgraphs on its behalf."""

    identity: Identity | None
    address: str
    subgraph_headers: Mapping[str, str]

    @property
    def subject(self) -> str | None:
        return self.identity.subject if self.identity is not None else None


@dataclass(frozen=True)
class CallerResolver:
    """Reads the caller off a request: address, verified token, internal token."""

    authenticator: Authenticator
    internal_tokens: InternalTokens
    #: key clients by the first `X-Forwarded-For` hop (behind a proxy that sets it)
    trust_forwarded_for: bool = False
    #: client headers passed on as they are (`GATEWAY_FORWARD_HEADERS`)
    forwarded_header_names: tuple[str, ...] = ()

    async def resolve(self, request: Request) -> Caller:
        """The caller; `PolicyError` (401) when it sent a token that is not valid. Resolved
        once per request (a REST shim asks before running its operation)."""
        known = request.scope.get(_CALLER)
        if isinstance(known, Caller):
            return known
        caller = await self._resolve(request)
        request.scope[_CALLER] = caller
        return caller

    async def scope_of(self, request: Request) -> str | None:
        """Whom the request's idempotency keys belong to: `sub:<subject>` with a token,
        `addr:<address>` without; None when its token is not valid."""
        try:
            caller = await self.resolve(request)
        except PolicyError:
            return None
        return f"sub:{caller.subject}" if caller.subject else f"addr:{caller.address}"

    def address_of(self, request: HTTPConnection) -> str:
        """Where the request comes from: the first `X-Forwarded-For` hop when trusted, else the
        connection's peer."""
        peer = request.client.host if request.client else None
        forwarded = request.headers.get("x-forwarded-for")
        return client_address(peer, forwarded, trust_forwarded=self.trust_forwarded_for)

    async def _resolve(self, request: Request) -> Caller:
        headers = request.headers
        address = self.address_of(request)
        identity = await self.authenticator.identify(headers.get("authorization"))
        subgraph_headers = {
            name: headers[name] for name in self.forwarded_header_names if name in headers
        }
        subgraph_headers[INTERNAL_TOKEN_HEADER] = self.internal_tokens.issue(identity)
        return Caller(identity, address, subgraph_headers)

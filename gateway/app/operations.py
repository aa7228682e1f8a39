"""`/health` and `/metrics`: for load balancers, probes and Prometheus, not for the public.

Outside production both are open, as `make run` and the tests use them. In production
(`GATEWAY_ENV=production`):

- `/health` answers anyone `{"status": "ok"}` (200) while a supergraph is served, or
  `{"status": "unavailable"}` (503): enough for a load balancer or a readiness probe. The details
  (subgraphs, circuit breakers, schema hash, rate-limit, persisted-query and entity-cache
  backends, idempotency store) need
  `Authorization: Bearer <GATEWAY_METRICS_TOKEN>`; they never show a secret, and credentials in
  URLs are masked.
- `/metrics` needs the same bearer token (401 without it), and is not served at all (404) when
  `GATEWAY_METRICS_TOKEN` is unset.
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from common.metrics import metrics_response
from common.settings import GatewaySettings
from gateway.app.runtime import GatewayRuntime
from gateway.policy.errors import UNAUTHENTICATED
from gateway.policy.rate_limiter import RateLimiter
from gateway.rest.idempotency import IdempotencyStore

#: the challenge of a refused `/metrics` request (RFC 6750)
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="metrics"'}


def install_operations_routes(
    app: FastAPI,
    settings: GatewaySettings,
    runtime: GatewayRuntime,
    limiter: RateLimiter | None,
    idempotency: IdempotencyStore,
) -> None:
    """Serve `/health` and `/metrics` from `app`, guarded as `settings` say."""

    def trusted(request: Request) -> bool:
        """Whether the request may see details: always outside production, else with the
        metrics token."""
        if not settings.production:
            return True
        return bool(settings.metrics_token) and _bearer_matches(
            request.headers.get("authorization", ""), settings.metrics_token
        )

    @app.get("/health", include_in_schema=False)
    async def health(request: Request) -> JSONResponse:
        detailed = trusted(request)
        state = runtime.current
        if state is None:
            body = {"status": "unavailable"}
            if detailed:
                body["reason"] = runtime.reason
            return JSONResponse(body, status_code=503)
        if not detailed:
            return JSONResponse({"status": "ok"})
        states = state.breaker_states()
        subgraphs = [
            {
                "name": name,
                "url": mask_credentials(graph.url),
                "circuitBreaker": states.get(name, "closed"),
            }
            for name, graph in state.supergraph.graphs.items()
        ]
        result: dict[str, Any] = {
            "status": "degraded" if "open" in states.values() else "ok",
            "schemaHash": state.schema_hash,
            "subgraphs": subgraphs,
        }
        if runtime.last_error is not None:
            result["lastReloadError"] = runtime.last_error
        result["rate_limit"] = limiter.health() if limiter else {"backend": "off"}
        result["persisted_queries"] = _backend_of(
            getattr(request.app.state, "persisted_documents", None),
            mode=state.persisted_queries.mode,
        )
        cache = getattr(request.app.state, "entity_cache", None)
        result["entity_cache"] = _backend_of(cache) if cache is not None else {"backend": "off"}
        result["idempotency"] = {
            key: mask_credentials(value) if key == "url" and isinstance(value, str) else value
            for key, value in idempotency.describe().items()
        }
        return JSONResponse(result)

    @app.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        if settings.production and not settings.metrics_token:
            return _refusal(404, "NOT_FOUND", "Not found.")
        if not trusted(request):
            message = "Send `Authorization: Bearer <GATEWAY_METRICS_TOKEN>` to read the metrics."
            return _refusal(401, UNAUTHENTICATED, message, _CHALLENGE)
        return metrics_response()


def _backend_of(store: Any, **extra: str) -> dict[str, Any]:
    """Where a Redis-backed store with a local fallback answers now, and why not Redis."""
    shown: dict[str, Any] = {**extra, "backend": getattr(store, "backend", "local")}
    error = getattr(store, "last_error", None)
    if error is not None:
        shown["lastError"] = error
    return shown


def mask_credentials(url: str) -> str:
    """`url` with the password of its user part (if any) replaced by `***`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _bearer_matches(header: str, token: str) -> bool:
    scheme, _, presented = header.partition(" ")
    # Compared in constant time: the time taken tells nothing about the token.
    return scheme.lower() == "bearer" and hmac.compare_digest(
        presented.strip().encode(), token.encode()
    )


def _refusal(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status, headers=headers)

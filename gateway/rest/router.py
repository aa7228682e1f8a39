"""Every `/api/v1` endpoint, and `install_rest` putting them on the gateway's app."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from common.auth import AuthSettings
from gateway.rest.audit import audit_router
from gateway.rest.errors import RestBodyGuard, install_error_handlers
from gateway.rest.idempotent import Idempotency
from gateway.rest.notifications import notifications_router
from gateway.rest.openapi import install_openapi
from gateway.rest.orders import orders_router
from gateway.rest.payments import payments_router
from gateway.rest.products import products_router
from gateway.rest.repositories import repositories_router
from gateway.rest.runner import OperationRunner
from gateway.rest.sessions import sessions_router
from gateway.rest.shim import Shim
from gateway.rest.token import TokenThrottle, token_router
from gateway.rest.users import users_router

__all__ = ["Idempotency", "OperationRunner", "install_rest", "rest_routers"]


def rest_routers(
    auth_settings: AuthSettings, shim: Shim, token_throttle: TokenThrottle | None = None
) -> list[APIRouter]:
    """The REST shims, one router per area: tokens issued here (their requests admitted by
    `token_throttle`), everything else through `shim`.

    Fixed paths come before the `{id}` paths they would otherwise match (`/users/me`).
    """
    return [
        token_router(auth_settings, token_throttle),
        sessions_router(shim),
        *(
            domain(shim)
            for domain in (
                users_router,
                orders_router,
                repositories_router,
                payments_router,
                products_router,
                notifications_router,
                audit_router,
            )
        ),
    ]


def install_rest(
    app: FastAPI,
    auth_settings: AuthSettings,
    run: OperationRunner,
    *,
    version: str,
    idempotency: Idempotency | None = None,
    token_throttle: TokenThrottle | None = None,
) -> None:
    """Serve the REST shims from `app`: routes, envelope errors, body guard, OpenAPI, Swagger;
    `Idempotency-Key`s are kept when `idempotency` is given, token requests throttled by
    `token_throttle`."""
    areas = rest_routers(auth_settings, Shim(run, idempotency), token_throttle)
    for area in areas:
        app.include_router(area)
    install_error_handlers(app, [route for area in areas for route in area.routes])
    install_openapi(app, version=version)
    app.add_middleware(RestBodyGuard)

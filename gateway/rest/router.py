"""Every `/api/v1` endpoint in one router."""

from __future__ import annotations

from fastapi import APIRouter

from common.auth import AuthSettings
from gateway.rest.runner import OperationRunner
from gateway.rest.sessions import USERS_PATH, sessions_router
from gateway.rest.token import TOKEN_PATH, token_router

__all__ = ["REST_PATHS", "OperationRunner", "rest_router"]

#: Fixed REST paths, labelled as they are in the request metrics (others count as `other`).
REST_PATHS = frozenset(
    {
        TOKEN_PATH,
        *(f"{USERS_PATH}/{action}" for action in ("register", "login", "refresh", "logout", "me")),
    }
)


def rest_router(auth_settings: AuthSettings, run: OperationRunner) -> APIRouter:
    """The REST shims: tokens issued here, everything else through `run`."""
    router = APIRouter()
    router.include_router(token_router(auth_settings))
    router.include_router(sessions_router(run))
    return router

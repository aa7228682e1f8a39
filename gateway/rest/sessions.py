"""Accounts over REST: `POST /api/v1/users/register`, `/login`, `/refresh`, `/logout` and
`GET /api/v1/users/me`, each one GraphQL operation of the users subgraph."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, model_validator

from gateway.rest.bodies import BodyError, read_model
from gateway.rest.case import snake_keys
from gateway.rest.envelope import NO_STORE, failure, success
from gateway.rest.results import OperationResult, ShimFailure, field_data
from gateway.rest.runner import OperationRunner

USERS_PATH = "/api/v1/users"
USER_FIELDS = "id email username name role active createdAt updatedAt"
_SESSION = f"accessToken refreshToken tokenType expiresIn user {{ {USER_FIELDS} }}"

REGISTER = f"""mutation Register($input: RegisterInput!) {{
  register(input: $input) {{ {_SESSION} }}
}}"""
LOGIN = f"""mutation Login($input: LoginInput!) {{ login(input: $input) {{ {_SESSION} }} }}"""
REFRESH = f"""mutation Refresh($token: String!) {{
  refreshToken(refreshToken: $token) {{ {_SESSION} }}
}}"""
LOGOUT = """mutation Logout($token: String!, $everywhere: Boolean!) {
  logout(refreshToken: $token, everywhere: $everywhere)
}"""
ME = f"query Me {{ me {{ {USER_FIELDS} }} }}"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class RegisterBody(_Body):
    email: str
    username: str
    password: str
    name: str | None = None


class LoginBody(_Body):
    """`email`, `username` or `login` (either of the first two) names the account."""

    email: str | None = None
    username: str | None = None
    login: str | None = None
    password: str

    @model_validator(mode="after")
    def _one_name(self) -> LoginBody:
        if sum(v is not None for v in (self.email, self.username, self.login)) != 1:
            raise ValueError("give exactly one of email, username or login")
        return self

    @property
    def account(self) -> str:
        return self.email or self.username or self.login or ""


class RefreshBody(_Body):
    refresh_token: str


class LogoutBody(_Body):
    refresh_token: str
    everywhere: bool = False


def sessions_router(run: OperationRunner) -> APIRouter:
    """The account endpoints, running their operations with `run`."""
    router = APIRouter()

    @router.post(f"{USERS_PATH}/register")
    async def register(request: Request) -> JSONResponse:
        async def act() -> JSONResponse:
            body = await read_model(
                request, RegisterBody, '{"email", "username", "password", "name"}'
            )
            variables = {"input": {k: v for k, v in body.model_dump().items() if v is not None}}
            session = _session(await run(request, REGISTER, variables, "Register"), "register")
            location = f"{USERS_PATH}/{session['user']['id']}"
            return success(session, status=201, headers={**NO_STORE, "Location": location})

        return await _answer(act)

    @router.post(f"{USERS_PATH}/login")
    async def login(request: Request) -> JSONResponse:
        async def act() -> JSONResponse:
            body = await read_model(request, LoginBody, '{"email": ..., "password": ...}')
            variables = {"input": {"login": body.account, "password": body.password}}
            session = _session(await run(request, LOGIN, variables, "Login"), "login")
            return success(session, headers=NO_STORE)

        return await _answer(act)

    @router.post(f"{USERS_PATH}/refresh")
    async def refresh(request: Request) -> JSONResponse:
        async def act() -> JSONResponse:
            body = await read_model(request, RefreshBody, '{"refresh_token": ...}')
            result = await run(request, REFRESH, {"token": body.refresh_token}, "Refresh")
            return success(_session(result, "refreshToken"), headers=NO_STORE)

        return await _answer(act)

    @router.post(f"{USERS_PATH}/logout")
    async def logout(request: Request) -> JSONResponse:
        async def act() -> JSONResponse:
            body = await read_model(request, LogoutBody, '{"refresh_token": ...}')
            variables = {"token": body.refresh_token, "everywhere": body.everywhere}
            done = field_data(await run(request, LOGOUT, variables, "Logout"), "logout")
            return success({"logged_out": bool(done)}, headers=NO_STORE)

        return await _answer(act)

    @router.get(f"{USERS_PATH}/me")
    async def me(request: Request) -> JSONResponse:
        async def act() -> JSONResponse:
            user = field_data(await run(request, ME, None, "Me"), "me")
            return success(snake_keys(user))

        return await _answer(act)

    return router


def _session(result: OperationResult, field: str) -> dict[str, Any]:
    data: dict[str, Any] = snake_keys(field_data(result, field))
    return data


async def _answer(act: Any) -> JSONResponse:
    """Run a handler body, turning bad bodies and failed operations into error envelopes."""
    try:
        response: JSONResponse = await act()
    except BodyError as exc:
        return failure(exc.status, exc.code, exc.message, exc.details)
    except ShimFailure as exc:
        return exc.response
    return response

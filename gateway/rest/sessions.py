"""Accounts over REST: `POST /api/v1/users/register`, `/login`, `/refresh`, `/logout` and
`GET /api/v1/users/me`, each one GraphQL operation of the users subgraph."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from gateway.rest.envelope import NO_STORE, success
from gateway.rest.schemas import PUBLIC, WITH_BODY, One, responses
from gateway.rest.shim import Operation, Shim, shape
from gateway.rest.users import USER_FIELDS, USERS_PATH, User

AUTH_LOGIN_PATH = "/api/v1/auth/login"
_SESSION = f"accessToken refreshToken tokenType expiresIn user {{ {USER_FIELDS} }}"

REGISTER = Operation(
    "Register",
    f"mutation Register($input: RegisterInput!) {{ register(input: $input) {{ {_SESSION} }} }}",
    "register",
)
LOGIN = Operation(
    "Login",
    f"mutation Login($input: LoginInput!) {{ login(input: $input) {{ {_SESSION} }} }}",
    "login",
)
REFRESH = Operation(
    "Refresh",
    f"mutation Refresh($token: String!) {{ refreshToken(refreshToken: $token) {{ {_SESSION} }} }}",
    "refreshToken",
)
LOGOUT = Operation(
    "Logout",
    "mutation Logout($token: String!, $everywhere: Boolean!) {"
    " logout(refreshToken: $token, everywhere: $everywhere) }",
    "logout",
)
ME = Operation("Me", f"query Me {{ me {{ {USER_FIELDS} }} }}", "me")


class Session(BaseModel):
    """A signed-in session."""

    access_token: str = Field(description="Send it as 'Authorization: Bearer <access_token>'.")
    refresh_token: str = Field(description="Spend it once at /api/v1/users/refresh.")
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds until access_token expires.", examples=[3600])
    user: User


class LoggedOut(BaseModel):
    logged_out: bool


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Register(_Body):
    """A new account of your own (role `user`)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "email": "grace@example.com",
                    "username": "grace",
                    "password": "correct horse battery staple",
                    "name": "Grace Hopper",
                }
            ]
        }
    )

    email: str = Field(max_length=254)
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)
    name: str | None = Field(default=None, max_length=200)


class Login(_Body):
    """`email`, `username` or `login` (either of the first two) names the account."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"email": "grace@example.com", "password": "correct horse battery staple"}]
        }
    )

    email: str | None = Field(default=None, max_length=254)
    username: str | None = Field(default=None, max_length=254)
    login: str | None = Field(default=None, max_length=254)
    password: str = Field(max_length=1024)
    challenge: str | None = Field(
        default=None,
        max_length=1024,
        description="After a 429 CHALLENGE_REQUIRED: `error.details.challenge.token` as it came.",
    )
    challenge_solution: str | None = Field(
        default=None,
        max_length=128,
        description="Your solution of that challenge (docs/identity.md, Too many failed logins).",
    )

    @model_validator(mode="after")
    def _one_name(self) -> Login:
        if sum(v is not None for v in (self.email, self.username, self.login)) != 1:
            raise ValueError("give exactly one of email, username or login")
        return self

    @property
    def account(self) -> str:
        return self.email or self.username or self.login or ""


class Refresh(_Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"refresh_token": "<refresh_token>"}]}
    )

    refresh_token: str = Field(max_length=1024)


class Logout(_Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"refresh_token": "<refresh_token>", "everywhere": False}]}
    )

    refresh_token: str = Field(max_length=1024)
    everywhere: bool = Field(default=False, description="End every session of the user.")


def sessions_router(shim: Shim) -> APIRouter:
    """The account endpoints."""
    router = APIRouter(tags=["accounts"])

    @router.post(
        f"{USERS_PATH}/register",
        status_code=201,
        operation_id="register",
        summary="Create your own account and sign in",
        responses=responses(One[Session], status=201, errors=(*WITH_BODY, 409), created=True),
        openapi_extra=PUBLIC,
    )
    async def register(request: Request, body: Register) -> JSONResponse:
        variables = {"input": body.model_dump(exclude_none=True)}
        session = await _session(shim, request, REGISTER, variables)
        location = f"{USERS_PATH}/{session['user']['id']}"
        return success(session, status=201, headers={**NO_STORE, "Location": location})

    @router.post(
        f"{USERS_PATH}/login",
        operation_id="login",
        summary="Sign in with email or username and password",
        responses=responses(One[Session], errors=WITH_BODY),
        openapi_extra=PUBLIC,
    )
    async def login(request: Request, body: Login) -> JSONResponse:
        answer = {"challenge": body.challenge, "challengeSolution": body.challenge_solution}
        variables = {
            "input": {"login": body.account, "password": body.password}
            | {key: value for key, value in answer.items() if value is not None}
        }
        return success(await _session(shim, request, LOGIN, variables), headers=NO_STORE)

    router.add_api_route(
        AUTH_LOGIN_PATH,
        login,
        methods=["POST"],
        operation_id="authLogin",
        summary="As POST /api/v1/users/login (the original gateway's path)",
        responses=responses(One[Session], errors=WITH_BODY),
        openapi_extra=PUBLIC,
    )

    @router.post(
        f"{USERS_PATH}/refresh",
        operation_id="refresh",
        summary="Spend a refresh token for new tokens",
        responses=responses(One[Session], errors=WITH_BODY),
        openapi_extra=PUBLIC,
    )
    async def refresh(request: Request, body: Refresh) -> JSONResponse:
        variables = {"token": body.refresh_token}
        return success(await _session(shim, request, REFRESH, variables), headers=NO_STORE)

    @router.post(
        f"{USERS_PATH}/logout",
        operation_id="logout",
        summary="End a session, or every session of its user",
        responses=responses(One[LoggedOut], errors=WITH_BODY),
        openapi_extra=PUBLIC,
    )
    async def logout(request: Request, body: Logout) -> JSONResponse:
        variables = {"token": body.refresh_token, "everywhere": body.everywhere}
        done = await shim.value(request, LOGOUT, variables)
        return success({"logged_out": bool(done)}, headers=NO_STORE)

    @router.get(
        f"{USERS_PATH}/me",
        operation_id="me",
        summary="The signed-in user",
        responses=responses(One[User], errors=(404,)),
    )
    async def me(request: Request) -> JSONResponse:
        return await shim.one(request, ME, None, User, missing=("account", "of this token"))

    return router


async def _session(
    shim: Shim, request: Request, operation: Operation, variables: dict[str, Any]
) -> dict[str, Any]:
    return shape(Session, await shim.value(request, operation, variables))

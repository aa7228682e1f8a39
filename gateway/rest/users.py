"""Users over REST: `POST /api/v1/users`, `GET /api/v1/users/{id}`, `GET /api/v1/users`,
`PUT /api/v1/users/{id}`, `DELETE /api/v1/users/{id}`, each one operation of the users
subgraph (which lets admins write, and users read themselves)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from gateway.rest.case import graph_input
from gateway.rest.schemas import WITH_BODY, Deleted, Many, One, responses
from gateway.rest.shim import Operation, Shim
from gateway.rest.types import (
    DEFAULT_PAGE_SIZE,
    MAX_INT,
    Lowered,
    PageNumber,
    PageSize,
    PathId,
    graph_id,
    page_variables,
)

USERS_PATH = "/api/v1/users"
USER_FIELDS = "id email username name age role active createdAt updatedAt"
Role = Literal["user", "admin"]


class User(BaseModel):
    """A person with an account."""

    id: int = Field(examples=[1])
    email: str = Field(examples=["user@example.com"])
    username: str = Field(examples=["john.doe"])
    name: str = Field(examples=["John Doe"])
    age: int | None = Field(default=None, examples=[30])
    role: Annotated[Role, Lowered]
    active: bool
    created_at: datetime
    updated_at: datetime


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


_Email = Annotated[str, Field(min_length=3, max_length=254, examples=["user@example.com"])]
_Name = Annotated[str, Field(min_length=1, max_length=200)]
_Age = Annotated[int, Field(ge=0, le=MAX_INT)]


class CreateUser(_Body):
    """A new user (admins only)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"email": "user@example.com", "name": "John Doe", "age": 30}]
        }
    )

    email: _Email
    name: _Name
    age: _Age | None = None
    active: bool = True
    username: str | None = Field(default=None, description="From the email when left out.")
    password: str | None = Field(
        default=None, description="8 to 128 characters; without one the user cannot log in."
    )
    role: Role = "user"


class UpdateUser(_Body):
    """The fields to change; fields left out keep their value."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "Jane Doe", "age": 31, "active": True}]}
    )

    email: _Email | None = None
    name: _Name | None = None
    age: _Age | None = None
    active: bool | None = None
    username: str | None = None
    role: Role | None = None
    password: str | None = None


_ONE = f"{{ {USER_FIELDS} }}"
CREATE = Operation(
    "CreateUser",
    f"mutation CreateUser($input: CreateUserInput!) {{ createUser(input: $input) {_ONE} }}",
    "createUser",
)
GET = Operation("User", f"query User($id: ID!) {{ user(id: $id) {_ONE} }}", "user")
LIST = Operation(
    "Users",
    "query Users($page: Int!, $pageSize: Int!, $search: String, $active: Boolean) {"
    f" users(page: $page, pageSize: $pageSize, search: $search, active: $active)"
    f" {{ items {_ONE} pageInfo {{ page pageSize totalPages totalCount }} }} }}",
    "users",
)
UPDATE = Operation(
    "UpdateUser",
    "mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {"
    f" updateUser(id: $id, input: $input) {_ONE} }}",
    "updateUser",
)
DELETE = Operation(
    "DeleteUser", "mutation DeleteUser($id: ID!) { deleteUser(id: $id) }", "deleteUser"
)


def users_router(shim: Shim) -> APIRouter:
    """The user endpoints, after the account ones (`/users/me` must match before `{id}`)."""
    router = APIRouter(prefix=USERS_PATH, tags=["users"])

    @router.post(
        "",
        status_code=201,
        operation_id="createUser",
        summary="Create a user (admin)",
        responses=responses(One[User], status=201, errors=(*WITH_BODY, 409), created=True),
    )
    async def create_user(request: Request, body: CreateUser) -> JSONResponse:
        variables = {"input": graph_input(body, enums=("role",))}
        return await shim.created(
            request, CREATE, variables, User, lambda user: f"{USERS_PATH}/{user['id']}"
        )

    @router.get(
        "/{user_id:int}",
        operation_id="getUser",
        summary="One user (the user themselves or an admin)",
        responses=responses(One[User], errors=(404,)),
    )
    async def get_user(request: Request, user_id: PathId) -> JSONResponse:
        return await shim.one(
            request, GET, {"id": graph_id(user_id)}, User, missing=("user", user_id)
        )

    @router.get(
        "",
        operation_id="listUsers",
        summary="Users, a page at a time (admin)",
        responses=responses(Many[User]),
    )
    async def list_users(
        request: Request,
        page: PageNumber = 1,
        page_size: PageSize = DEFAULT_PAGE_SIZE,
        search: Annotated[
            str | None, Query(max_length=200, description="In name or email.")
        ] = None,
        active: bool | None = None,
    ) -> JSONResponse:
        variables = page_variables(page, page_size, search=search, active=active)
        return await shim.page(request, LIST, variables, User)

    @router.put(
        "/{user_id:int}",
        operation_id="updateUser",
        summary="Change a user (admin)",
        responses=responses(One[User], errors=(*WITH_BODY, 404, 409)),
    )
    async def update_user(request: Request, user_id: PathId, body: UpdateUser) -> JSONResponse:
        variables = {"id": graph_id(user_id), "input": graph_input(body, enums=("role",))}
        return await shim.one(request, UPDATE, variables, User)

    @router.delete(
        "/{user_id:int}",
        operation_id="deleteUser",
        summary="Delete a user and end their sessions (admin)",
        responses=responses(One[Deleted], errors=(404,)),
    )
    async def delete_user(request: Request, user_id: PathId) -> JSONResponse:
        return await shim.deleted(request, DELETE, {"id": graph_id(user_id)}, "user", user_id)

    return router

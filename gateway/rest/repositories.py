"""Repositories over REST: `POST /api/v1/repositories`, `GET /api/v1/repositories/{id}`,
`GET /api/v1/repositories`, `PUT /api/v1/repositories/{id}`, `DELETE /api/v1/repositories/{id}`,
each one operation of the repositories subgraph.

Admins write; reads answer anonymous callers too, with what they may see: PUBLIC repositories
for everyone, a user's own PRIVATE ones for that user, every one for admins and services.
A repository hidden from the caller reads as missing (404, absent from lists and counts).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from gateway.rest.case import graph_input
from gateway.rest.schemas import OPTIONAL_TOKEN, WITH_BODY, Deleted, Many, One, responses
from gateway.rest.shim import Operation, Shim
from gateway.rest.types import (
    DEFAULT_PAGE_SIZE,
    IdFilter,
    Lowered,
    PageNumber,
    PageSize,
    PathId,
    RowId,
    graph_id,
    page_variables,
)

REPOSITORIES_PATH = "/api/v1/repositories"
REPOSITORY_FIELDS = "id name description ownerId visibility url active createdAt updatedAt"
Visibility = Literal["private", "public"]

_Name = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="Letters, digits, `-`, `_` and `.`; unique among the owner's repositories.",
        examples=["repo-one"],
    ),
]
_Description = Annotated[str, Field(max_length=1000, examples=["Core services repo"])]
_Url = Annotated[
    str,
    Field(
        max_length=2048,
        description="An http:// or https:// URL.",
        examples=["https://example.com/repo-one"],
    ),
]


class Repository(BaseModel):
    """A code repository owned by one user."""

    id: int = Field(examples=[1])
    name: str = Field(examples=["repo-one"])
    description: str | None = Field(default=None, examples=["Core services repo"])
    owner_id: int = Field(examples=[1])
    visibility: Annotated[Visibility, Lowered]
    url: str | None = Field(default=None, examples=["https://example.com/repo-one"])
    active: bool
    created_at: datetime
    updated_at: datetime


class CreateRepository(BaseModel):
    """A new repository (admins only); private and active unless told otherwise."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "name": "repo-one",
                    "description": "Core services repo",
                    "owner_id": 1,
                    "visibility": "private",
                    "url": "https://example.com/repo-one",
                }
            ]
        },
    )

    name: _Name
    description: _Description | None = None
    owner_id: RowId
    visibility: Visibility = "private"
    url: _Url | None = None
    active: bool = True


class UpdateRepository(BaseModel):
    """The fields to change; fields left out keep their value (`null` clears `description` and
    `url`)."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {"description": "Updated description", "visibility": "public", "active": True}
            ]
        },
    )

    name: _Name | None = None
    description: _Description | None = None
    visibility: Visibility | None = None
    url: _Url | None = None
    active: bool | None = None


_ONE = f"{{ {REPOSITORY_FIELDS} }}"
CREATE = Operation(
    "CreateRepository",
    "mutation CreateRepository($input: CreateRepositoryInput!) {"
    f" createRepository(input: $input) {_ONE} }}",
    "createRepository",
)
GET = Operation(
    "Repository", f"query Repository($id: ID!) {{ repository(id: $id) {_ONE} }}", "repository"
)
LIST = Operation(
    "Repositories",
    "query Repositories($page: Int!, $pageSize: Int!, $search: String, $ownerId: ID,"
    " $visibility: RepositoryVisibility, $active: Boolean) {"
    " repositories(page: $page, pageSize: $pageSize, search: $search, ownerId: $ownerId,"
    " visibility: $visibility, active: $active)"
    f" {{ items {_ONE} pageInfo {{ page pageSize totalPages totalCount }} }} }}",
    "repositories",
)
UPDATE = Operation(
    "UpdateRepository",
    "mutation UpdateRepository($id: ID!, $input: UpdateRepositoryInput!) {"
    f" updateRepository(id: $id, input: $input) {_ONE} }}",
    "updateRepository",
)
DELETE = Operation(
    "DeleteRepository",
    "mutation DeleteRepository($id: ID!) { deleteRepository(id: $id) }",
    "deleteRepository",
)


def repositories_router(shim: Shim) -> APIRouter:
    """The repository endpoints."""
    router = APIRouter(prefix=REPOSITORIES_PATH, tags=["repositories"])

    @router.post(
        "",
        status_code=201,
        operation_id="createRepository",
        summary="Create a repository (admin)",
        responses=responses(One[Repository], status=201, errors=(*WITH_BODY, 409), created=True),
    )
    async def create_repository(request: Request, body: CreateRepository) -> JSONResponse:
        variables = {"input": graph_input(body, enums=("visibility",))}
        return await shim.created(
            request,
            CREATE,
            variables,
            Repository,
            lambda repository: f"{REPOSITORIES_PATH}/{repository['id']}",
        )

    @router.get(
        "/{repository_id:int}",
        operation_id="getRepository",
        summary="One repository: public ones for anyone, private ones for their owner, "
        "admins and services",
        responses=responses(One[Repository], errors=(404,)),
        openapi_extra=OPTIONAL_TOKEN,
    )
    async def get_repository(request: Request, repository_id: PathId) -> JSONResponse:
        return await shim.one(
            request,
            GET,
            {"id": graph_id(repository_id)},
            Repository,
            missing=("repository", repository_id),
        )

    @router.get(
        "",
        operation_id="listRepositories",
        summary="Repositories the caller may see (public ones, a user's own private ones, "
        "every one for admins and services), a page at a time",
        responses=responses(Many[Repository]),
        openapi_extra=OPTIONAL_TOKEN,
    )
    async def list_repositories(
        request: Request,
        page: PageNumber = 1,
        page_size: PageSize = DEFAULT_PAGE_SIZE,
        search: Annotated[
            str | None, Query(max_length=200, description="In name or description, any case.")
        ] = None,
        owner_id: IdFilter = None,
        visibility: Visibility | None = None,
        active: bool | None = None,
    ) -> JSONResponse:
        variables = page_variables(
            page,
            page_size,
            search=search,
            ownerId=graph_id(owner_id),
            visibility=visibility.upper() if visibility is not None else None,
            active=active,
        )
        return await shim.page(request, LIST, variables, Repository)

    @router.put(
        "/{repository_id:int}",
        operation_id="updateRepository",
        summary="Change a repository (admin)",
        responses=responses(One[Repository], errors=(*WITH_BODY, 404, 409)),
    )
    async def update_repository(
        request: Request, repository_id: PathId, body: UpdateRepository
    ) -> JSONResponse:
        variables = {
            "id": graph_id(repository_id),
            "input": graph_input(body, enums=("visibility",)),
        }
        return await shim.one(request, UPDATE, variables, Repository)

    @router.delete(
        "/{repository_id:int}",
        operation_id="deleteRepository",
        summary="Delete a repository (admin)",
        responses=responses(One[Deleted], errors=(404,)),
    )
    async def delete_repository(request: Request, repository_id: PathId) -> JSONResponse:
        return await shim.deleted(
            request, DELETE, {"id": graph_id(repository_id)}, "repository", repository_id
        )

    return router

"""The repositories subgraph's GraphQL schema: `Repository @key(fields: "id")` and `User` stub.

`User` here holds only its key and `repositories`; the users subgraph owns the rest of it.
The rules (visibility, admin-only writes) live in `RepositoryService`; resolvers hand it the
caller (`info.context.identity`). Resolvers call the service or the DataLoaders, never the
database.
"""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from subgraphs.kit.clock import as_utc
from subgraphs.kit.context import RequestContext
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import DEFAULT_PAGE_SIZE, PageInfo
from subgraphs.kit.schema import build_schema
from subgraphs.kit.updates import given
from subgraphs.repositories.loaders import RepositoryLoaders
from subgraphs.repositories.models import RepositoryRow, Visibility
from subgraphs.repositories.service import RepositoryService

RepositoriesInfo = Info[RequestContext[RepositoryLoaders], None]

# The domain enum itself becomes the GraphQL enum, named for its type to stay unique in the graph.
strawberry.enum(
    Visibility,
    name="RepositoryVisibility",
    description=(
        "PRIVATE (the default) or PUBLIC. Anonymous callers and users see PUBLIC repositories, "
        "users also their own PRIVATE ones; admins and services see every one."
    ),
)


# No description: the users subgraph owns User and describes it.
@strawberry.federation.type(keys=["id"])
class User:
    """The users subgraph's entity; this subgraph adds `repositories`."""

    id: strawberry.ID

    @strawberry.field(
        description="This user's repositories the caller may see, newest first (deleted ones "
        "left out): PUBLIC ones, and PRIVATE ones for the user themselves, admins and services."
    )
    async def repositories(self, info: RepositoriesInfo) -> list[Repository]:
        owner_id = parse_id(self.id)
        if owner_id is None:
            return []
        rows = await info.context.loaders.repositories_by_owner.load(owner_id)
        return [Repository.from_row(row) for row in _service(info).visible_rows(rows)]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        """Any id: whether the user exists is for the users subgraph to say."""
        return cls(id=strawberry.ID(str(id)))


@strawberry.federation.type(keys=["id"], description="A code repository owned by one user.")
class Repository:
    """A live repository."""

    id: strawberry.ID
    name: str
    description: str | None
    owner_id: strawberry.ID
    visibility: Visibility
    url: str | None
    active: bool
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="The owner (resolved by the users subgraph); null once deleted.")
    def owner(self) -> User | None:
        # Nullable on purpose: a soft-deleted user must not null the whole repository.
        return User(id=self.owner_id)

    @classmethod
    def from_row(cls, row: RepositoryRow) -> Repository:
        """The GraphQL view of a repository row."""
        return cls(
            id=strawberry.ID(format_id(row.id)),
            name=row.name,
            description=row.description,
            owner_id=strawberry.ID(format_id(row.owner_id)),
            visibility=row.visibility,
            url=row.url,
            active=row.active,
            created_at=as_utc(row.created_at),
            updated_at=as_utc(row.updated_at),
        )

    @classmethod
    async def resolve_reference(
        cls, info: RepositoriesInfo, id: strawberry.ID
    ) -> Repository | None:
        """The repository an `_entities` representation names; None when missing, deleted or
        hidden from the caller."""
        return await _load_repository(info, id)


def _service(info: RepositoriesInfo) -> RepositoryService:
    """The service acting for this request's caller."""
    return RepositoryService(info.context.db, caller=info.context.identity)


async def _load_repository(info: RepositoriesInfo, repository_id: object) -> Repository | None:
    row_id = parse_id(repository_id)
    if row_id is None:
        return None
    row = _service(info).visible(await info.context.loaders.repository_by_id.load(row_id))
    return Repository.from_row(row) if row is not None else None


@strawberry.type(description="A page of repositories.")
class RepositoryPage:
    """Repositories of one page and where the page sits."""

    items: list[Repository]
    page_info: PageInfo


@strawberry.input(description="A new repository; PRIVATE and active unless told otherwise.")
class CreateRepositoryInput:
    """Fields of a new repository. The owner is not checked here."""

    name: str
    owner_id: strawberry.ID
    description: str | None = None
    visibility: Visibility = Visibility.PRIVATE
    url: str | None = None
    active: bool = True


@strawberry.input(description="Fields to change; fields left out keep their value.")
class UpdateRepositoryInput:
    """A partial update of a repository (its owner cannot change)."""

    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    visibility: Visibility | None = strawberry.UNSET
    url: str | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET


@strawberry.type
class Query:
    """Read repositories."""

    @strawberry.field(
        description="The repository with this id; null when missing, deleted or hidden from "
        "the caller (another user's PRIVATE repository)."
    )
    async def repository(self, info: RepositoriesInfo, id: strawberry.ID) -> Repository | None:
        return await _load_repository(info, id)

    @strawberry.field(
        description="Live repositories the caller may see, by id: PUBLIC ones, a user's own "
        "PRIVATE ones, every one for admins and services (filters never widen that). `search` "
        "matches name or description, any case. Errors: VALIDATION_FAILED (page arguments)."
    )
    async def repositories(
        self,
        info: RepositoriesInfo,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        search: str | None = None,
        owner_id: strawberry.ID | None = None,
        visibility: Visibility | None = None,
        active: bool | None = None,
    ) -> RepositoryPage:
        result = await _service(info).list_page(
            page=page,
            page_size=page_size,
            search=search,
            owner_id=owner_id,
            visibility=visibility,
            active=active,
        )
        return RepositoryPage(
            items=[Repository.from_row(row) for row in result.items],
            page_info=PageInfo.of(result),
        )


@strawberry.type
class Mutation:
    """Change repositories."""

    @strawberry.mutation(
        description="Create a repository. Admin only. "
        "Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED, CONFLICT (name)."
    )
    async def create_repository(
        self, info: RepositoriesInfo, input: CreateRepositoryInput
    ) -> Repository:
        row = await _service(info).create(
            name=input.name,
            owner_id=input.owner_id,
            description=input.description,
            visibility=input.visibility,
            url=input.url,
            active=input.active,
        )
        return Repository.from_row(row)

    @strawberry.mutation(
        description="Change the given fields. Admin only. "
        "Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, CONFLICT."
    )
    async def update_repository(
        self, info: RepositoriesInfo, id: strawberry.ID, input: UpdateRepositoryInput
    ) -> Repository:
        row = await _service(info).update(
            id,
            name=given(input.name),
            description=given(input.description),
            visibility=given(input.visibility),
            url=given(input.url),
            active=given(input.active),
        )
        return Repository.from_row(row)

    @strawberry.mutation(
        description="Soft-delete a repository. Admin only. "
        "Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND."
    )
    async def delete_repository(self, info: RepositoriesInfo, id: strawberry.ID) -> bool:
        return await _service(info).delete(id)


schema = build_schema(query=Query, mutation=Mutation)

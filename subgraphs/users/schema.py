"""The users subgraph's GraphQL schema: `User @key(fields: "id")`, queries and mutations.

Resolvers call the service or the request's DataLoaders, never the database.
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
from subgraphs.users.loaders import UserLoaders
from subgraphs.users.models import UserRow
from subgraphs.users.service import UserService

UsersInfo = Info[RequestContext[UserLoaders], None]


@strawberry.federation.type(keys=["id"], description="A person with an account.")
class User:
    """A live user."""

    id: strawberry.ID
    email: str
    name: str
    age: int | None
    active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: UserRow) -> User:
        """The GraphQL view of a user row."""
        return cls(
            id=strawberry.ID(format_id(row.id)),
            email=row.email,
            name=row.name,
            age=row.age,
            active=row.active,
            created_at=as_utc(row.created_at),
            updated_at=as_utc(row.updated_at),
        )

    @classmethod
    async def resolve_reference(cls, info: UsersInfo, id: strawberry.ID) -> User | None:
        """The user an `_entities` representation names; None when missing or deleted."""
        return await _load_user(info, id)


async def _load_user(info: UsersInfo, user_id: object) -> User | None:
    row_id = parse_id(user_id)
    if row_id is None:
        return None
    row = await info.context.loaders.user_by_id.load(row_id)
    return User.from_row(row) if row is not None else None


@strawberry.type(description="A page of users.")
class UserPage:
    """Users of one page and where the page sits."""

    items: list[User]
    page_info: PageInfo


@strawberry.input(description="A new user; `active` defaults to true.")
class CreateUserInput:
    """Fields of a new user."""

    email: str
    name: str
    age: int | None = None
    active: bool = True


@strawberry.input(description="Fields to change; fields left out keep their value.")
class UpdateUserInput:
    """A partial update of a user."""

    email: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    age: int | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET


@strawberry.type
class Query:
    """Read users."""

    @strawberry.field(description="The user with this id; null when missing or deleted.")
    async def user(self, info: UsersInfo, id: strawberry.ID) -> User | None:
        return await _load_user(info, id)

    @strawberry.field(description="Live users by id; `search` matches name or email, any case.")
    async def users(
        self,
        info: UsersInfo,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        search: str | None = None,
        active: bool | None = None,
    ) -> UserPage:
        result = await UserService(info.context.db).list_page(
            page=page, page_size=page_size, search=search, active=active
        )
        return UserPage(
            items=[User.from_row(row) for row in result.items], page_info=PageInfo.of(result)
        )


@strawberry.type
class Mutation:
    """Change users."""

    @strawberry.mutation(description="Create a user. Errors: VALIDATION_FAILED, CONFLICT.")
    async def create_user(self, info: UsersInfo, input: CreateUserInput) -> User:
        row = await UserService(info.context.db).create(
            email=input.email, name=input.name, age=input.age, active=input.active
        )
        return User.from_row(row)

    @strawberry.mutation(
        description="Change the given fields. Errors: NOT_FOUND, VALIDATION_FAILED, CONFLICT."
    )
    async def update_user(self, info: UsersInfo, id: strawberry.ID, input: UpdateUserInput) -> User:
        row = await UserService(info.context.db).update(
            id,
            email=given(input.email),
            name=given(input.name),
            age=given(input.age),
            active=given(input.active),
        )
        return User.from_row(row)

    @strawberry.mutation(description="Soft-delete a user. Errors: NOT_FOUND.")
    async def delete_user(self, info: UsersInfo, id: strawberry.ID) -> bool:
        return await UserService(info.context.db).delete(id)


schema = build_schema(query=Query, mutation=Mutation)

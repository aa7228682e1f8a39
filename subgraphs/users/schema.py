"""The users subgraph's GraphQL schema: `User @key(fields: "id")`, accounts and sign-in.

Resolvers check who is asking (`info.context.identity`), then call the services or the
request's DataLoaders, never the database.

Access: `createUser`/`updateUser`/`deleteUser` need admin; `users` admin or service; `user(id)`
the user themselves, admin or service; `me` a signed-in user; `register`, `login`,
`refreshToken`, `logout` and `User` entity references anyone.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from common.errors import FieldProblem, ValidationFailed
from subgraphs.kit.cache_control import CacheHint
from subgraphs.kit.clock import as_utc
from subgraphs.kit.context import RequestContext
from subgraphs.kit.identity import ADMIN, SERVICE, require_identity, require_role, require_user_id
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import DEFAULT_PAGE_SIZE, PageInfo
from subgraphs.kit.personal import personal_field
from subgraphs.kit.schema import build_schema
from subgraphs.kit.updates import given
from subgraphs.users.config import session_policy
from subgraphs.users.loaders import UserLoaders
from subgraphs.users.models import UserRow
from subgraphs.users.service import UserService
from subgraphs.users.sessions import SessionService, SignedIn

UsersInfo = Info[RequestContext[UserLoaders], None]


@strawberry.enum(description="What a user may do: USER their own data, ADMIN everything.")
class UserRole(Enum):
    """A user's role, as stored (`user`, `admin`)."""

    USER = "user"
    ADMIN = "admin"


def _owner(user: User) -> int | None:
    return parse_id(user.id)


@strawberry.federation.type(
    keys=["id"],
    description="A person with an account. `id`, `username` and `name` are for anyone; the "
    "personal fields (email, age, active, role, createdAt, updatedAt) only for the user "
    "themselves, admins and services: anyone else reads null with a FORBIDDEN error.",
)
class User:
    """A live user."""

    id: strawberry.ID
    email: str | None = personal_field(_owner)
    username: str = strawberry.field(
        description="Unique sign-in name: 3 to 32 lower-case letters, digits, '.', '_' or '-'."
    )
    name: str
    age: int | None = personal_field(_owner)
    active: bool | None = personal_field(_owner)
    role: UserRole | None = personal_field(
        _owner, description="USER or ADMIN; a change shows in access tokens issued after it."
    )
    created_at: datetime | None = personal_field(_owner)
    updated_at: datetime | None = personal_field(_owner)
    #: made for the user who has just signed in as this user (register, login, refreshToken)
    viewer_is_owner: strawberry.Private[bool] = False

    @classmethod
    def from_row(cls, row: UserRow, *, viewer_is_owner: bool = False) -> User:
        """The GraphQL view of a user row (`viewer_is_owner`: for the user who just signed in)."""
        return cls(
            id=strawberry.ID(format_id(row.id)),
            email=row.email,
            username=row.username,
            name=row.name,
            age=row.age,
            active=row.active,
            role=UserRole(row.role),
            created_at=as_utc(row.created_at),
            updated_at=as_utc(row.updated_at),
            viewer_is_owner=viewer_is_owner,
        )

    @classmethod
    async def resolve_reference(cls, info: UsersInfo, id: strawberry.ID) -> User | None:
        """The user an `_entities` representation names (for anyone); None when missing."""
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


@strawberry.type(description="A signed-in session: what register, login and refreshToken return.")
class AuthPayload:
    """Tokens and the user they stand for."""

    access_token: str = strawberry.field(
        description="Send it as 'Authorization: Bearer <accessToken>' until it expires."
    )
    refresh_token: str = strawberry.field(
        description="Keep it secret; spend it once with refreshToken for new tokens before "
        "it expires, or end the session with logout."
    )
    token_type: str = strawberry.field(description='Always "Bearer".')
    expires_in: int = strawberry.field(description="Seconds until accessToken expires.")
    user: User = strawberry.field(description="The signed-in user.")

    @strawberry.field(description="accessToken, under the original API's name.")
    def token(self) -> str:
        return self.access_token

    @classmethod
    def of(cls, signed_in: SignedIn) -> AuthPayload:
        """The payload of a sign-in."""
        return cls(
            access_token=signed_in.access_token,
            refresh_token=signed_in.refresh_token,
            token_type=signed_in.token_type,
            expires_in=signed_in.expires_in,
            user=User.from_row(signed_in.user, viewer_is_owner=True),
        )


@strawberry.input(description="A new user (admins only); `active` defaults to true.")
class CreateUserInput:
    """Fields of a new user."""

    email: str
    name: str
    age: int | None = None
    active: bool = True
    username: str | None = strawberry.field(
        default=None, description="Made from the email's local part when left out."
    )
    password: str | None = strawberry.field(
        default=None,
        description="8 to 128 characters, not the email or username. Without one the user "
        "cannot log in until an admin sets it.",
    )
    role: UserRole = strawberry.field(default=UserRole.USER, description="USER by default.")


@strawberry.input(description="Fields to change; fields left out keep their value.")
class UpdateUserInput:
    """A partial update of a user."""

    email: str | None = strawberry.UNSET
    name: str | None = strawberry.UNSET
    age: int | None = strawberry.UNSET
    active: bool | None = strawberry.UNSET
    username: str | None = strawberry.field(default=strawberry.UNSET, description="A new username.")
    role: UserRole | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new role; access tokens issued before the change keep the old one "
        "until they expire.",
    )
    password: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new password; it ends every session the user has.",
    )


@strawberry.input(description="A new account of your own; it gets the role USER.")
class RegisterInput:
    """What register needs."""

    email: str = strawberry.field(description="Your email; one account per email.")
    username: str = strawberry.field(
        description="3 to 32 letters, digits, '.', '_' or '-' (stored lower-case); unique."
    )
    password: str = strawberry.field(description="8 to 128 characters, not your email or username.")
    name: str | None = strawberry.field(
        default=None, description="Your full name; your username when left out."
    )


@strawberry.input(description="Credentials to sign in with.")
class LoginInput:
    """What login needs."""

    login: str | None = strawberry.field(
        default=None, description="Your email or username, in any case."
    )
    email: str | None = strawberry.field(
        default=None, description="Your email, as the original API named it (instead of login)."
    )
    username: str | None = strawberry.field(
        default=None, description="Your username (instead of login)."
    )
    password: str = strawberry.field(description="Your password.")
    challenge: str | None = strawberry.field(
        default=None,
        description="After CHALLENGE_REQUIRED: extensions.challenge.token as it came.",
    )
    challenge_solution: str | None = strawberry.field(
        default=None,
        description="After CHALLENGE_REQUIRED: your solution of that challenge (docs/identity.md).",
    )

    def account(self) -> str:
        """The one name given; VALIDATION_FAILED when none or several are."""
        given_names = [n for n in (self.login, self.email, self.username) if n is not None]
        if len(given_names) != 1:
            raise ValidationFailed.of(
                [FieldProblem("login", "give exactly one of login, email or username")]
            )
        return given_names[0]


def _users(info: UsersInfo) -> UserService:
    """The user service, hashing passwords as the process's policy says."""
    return UserService(info.context.db, passwords=session_policy().passwords)


def _sessions(info: UsersInfo) -> SessionService:
    return SessionService(info.context.db, session_policy())


def _client_address(info: UsersInfo) -> str | None:
    """The end client's address as the gateway saw it (None when it did not say)."""
    address = getattr(info.context, "client_address", None)
    return address if isinstance(address, str) and address else None


@strawberry.type
class Query:
    """Read users."""

    @strawberry.field(
        description="The user with this id; null when missing or deleted. For the user "
        "themselves, admins and services. Errors: UNAUTHENTICATED, FORBIDDEN."
    )
    async def user(self, info: UsersInfo, id: strawberry.ID) -> User | None:
        identity = require_identity(info.context)
        if identity.user_id is None or parse_id(id) != identity.user_id:
            require_role(info.context, ADMIN, SERVICE)
        return await _load_user(info, id)

    @strawberry.field(
        description="Live users by id; `search` matches name or email, any case. For admins "
        "and services. Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED."
    )
    async def users(
        self,
        info: UsersInfo,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        search: str | None = None,
        active: bool | None = None,
    ) -> UserPage:
        require_role(info.context, ADMIN, SERVICE)
        result = await UserService(info.context.db).list_page(
            page=page, page_size=page_size, search=search, active=active
        )
        return UserPage(
            items=[User.from_row(row) for row in result.items], page_info=PageInfo.of(result)
        )

    @strawberry.field(
        description="The signed-in user; null once deleted. Errors: UNAUTHENTICATED (no "
        "token), FORBIDDEN (a service token has no user)."
    )
    async def me(self, info: UsersInfo) -> User | None:
        return await _load_user(info, require_user_id(info.context))


@strawberry.type
class Mutation:
    """Change users; sign in and out."""

    @strawberry.mutation(
        description="Create a user (admins only). Errors: UNAUTHENTICATED, FORBIDDEN, "
        "VALIDATION_FAILED, CONFLICT (email or username taken; `field` says which)."
    )
    async def create_user(self, info: UsersInfo, input: CreateUserInput) -> User:
        identity = require_role(info.context, ADMIN)
        row = await _users(info).create(
            email=input.email,
            name=input.name,
            age=input.age,
            active=input.active,
            username=input.username,
            password=input.password,
            role=input.role.value,
            actor=identity.subject,
        )
        return User.from_row(row)

    @strawberry.mutation(
        description="Change the given fields (admins only); deactivating a user or setting "
        "their password ends their sessions. Errors: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, "
        "VALIDATION_FAILED, CONFLICT."
    )
    async def update_user(self, info: UsersInfo, id: strawberry.ID, input: UpdateUserInput) -> User:
        require_role(info.context, ADMIN)
        role = given(input.role)
        row = await _users(info).update(
            id,
            email=given(input.email),
            username=given(input.username),
            name=given(input.name),
            age=given(input.age),
            active=given(input.active),
            role=role.value if isinstance(role, UserRole) else role,
            password=given(input.password),
        )
        return User.from_row(row)

    @strawberry.mutation(
        description="Soft-delete a user and end their sessions (admins only). Errors: "
        "UNAUTHENTICATED, FORBIDDEN, NOT_FOUND."
    )
    async def delete_user(self, info: UsersInfo, id: strawberry.ID) -> bool:
        require_role(info.context, ADMIN)
        return await UserService(info.context.db).delete(id)

    @strawberry.mutation(
        description="Create your own account (role USER) and sign in. Errors: "
        "VALIDATION_FAILED, CONFLICT (email or username taken), TOKEN_ISSUING_DISABLED."
    )
    async def register(self, info: UsersInfo, input: RegisterInput) -> AuthPayload:
        signed_in = await _sessions(info).register(
            email=input.email, username=input.username, password=input.password, name=input.name
        )
        return AuthPayload.of(signed_in)

    @strawberry.mutation(
        description="Sign in with email or username and password. Errors: UNAUTHENTICATED "
        "('Wrong login or password.'), TOO_MANY_ATTEMPTS (after repeated failures on the "
        "account; `retryAfter` seconds), CHALLENGE_REQUIRED (after many failures from your "
        "address: solve `challenge` and send it with the login), VALIDATION_FAILED, "
        "TOKEN_ISSUING_DISABLED."
    )
    async def login(self, info: UsersInfo, input: LoginInput) -> AuthPayload:
        signed_in = await _sessions(info).login(
            login=input.account(),
            password=input.password,
            client_address=_client_address(info),
            challenge=input.challenge,
            challenge_solution=input.challenge_solution,
        )
        return AuthPayload.of(signed_in)

    @strawberry.mutation(
        description="Spend a refresh token (once) for a new access token and the next refresh "
        "token. Errors: UNAUTHENTICATED (unknown, expired, revoked or already used: log in "
        "again), VALIDATION_FAILED, TOKEN_ISSUING_DISABLED."
    )
    async def refresh_token(self, info: UsersInfo, refresh_token: str) -> AuthPayload:
        return AuthPayload.of(await _sessions(info).refresh(refresh_token))

    @strawberry.mutation(
        description="End the session this refresh token belongs to, or with `everywhere` "
        "every session of its user. True even for an unknown token. Errors: VALIDATION_FAILED."
    )
    async def logout(self, info: UsersInfo, refresh_token: str, everywhere: bool = False) -> bool:
        return await _sessions(info).logout(refresh_token, everywhere=everywhere)


#: What the gateway may cache (docs/caching.md): personal fields depend on who asks, so users
#: are cached for the caller only.
CACHE_HINTS = {
    "User": CacheHint(max_age=60, private=True),
    "UserPage": CacheHint.inherit(),
    "PageInfo": CacheHint.inherit(),
}

schema = build_schema(query=Query, mutation=Mutation, cache_hints=CACHE_HINTS)

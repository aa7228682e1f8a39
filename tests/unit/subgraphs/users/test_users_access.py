"""Who may do what with users, and signing in, through the schema run in-process."""

from __future__ import annotations

import pytest

from common.auth import verify_token
from common.auth.identity import Identity
from subgraphs.kit.identity import ADMIN, SERVICE, USER
from subgraphs.kit.schema import print_sdl
from subgraphs.users.challenge import solve
from subgraphs.users.schema import schema

PASSWORD = "correct horse battery"
AN_ADMIN = Identity("test-admin", roles=frozenset({ADMIN}))
A_SERVICE = Identity("order-service", roles=frozenset({SERVICE}))


def a_user(user_id: int) -> Identity:
    return Identity(f"user:{user_id}", user_id=user_id, roles=frozenset({USER}))


CREATE = "mutation($input: CreateUserInput!) { createUser(input: $input) { id username role } }"
UPDATE = (
    "mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }"
)
DELETE = "mutation($id: ID!) { deleteUser(id: $id) }"
USER_BY_ID = "query($id: ID!) { user(id: $id) { id email } }"
USERS = "{ users { items { id } pageInfo { totalCount } } }"
ME = "{ me { id username role } }"
ENTITIES = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id name } }
}
"""
AUTH_FIELDS = "accessToken refreshToken tokenType expiresIn user { id username role }"
REGISTER = f"mutation($input: RegisterInput!) {{ register(input: $input) {{ {AUTH_FIELDS} }} }}"
LOGIN = f"mutation($input: LoginInput!) {{ login(input: $input) {{ {AUTH_FIELDS} }} }}"
REFRESH = f"mutation($t: String!) {{ refreshToken(refreshToken: $t) {{ {AUTH_FIELDS} }} }}"
LOGOUT = "mutation($t: String!, $all: Boolean!) { logout(refreshToken: $t, everywhere: $all) }"


def error_of(result) -> dict:
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


def code_of(result) -> str:
    return error_of(result)["extensions"]["code"]


WRITES = [
    (CREATE, {"input": {"email": "x@example.com", "name": "X"}}),
    (UPDATE, {"id": "1", "input": {"name": "Y"}}),
    (DELETE, {"id": "1"}),
]


@pytest.mark.parametrize(("query", "variables"), WRITES)
async def test_user_writes_need_an_admin(execute, add_users, query, variables) -> None:
    await add_users(2)

    anonymous = await execute(query, variables, identity=None)
    user = await execute(query, variables, identity=a_user(1))
    service = await execute(query, variables, identity=A_SERVICE)

    assert code_of(anonymous) == "UNAUTHENTICATED"
    for refused in (user, service):
        assert code_of(refused) == "FORBIDDEN"
        assert "admin" in error_of(refused)["message"]
    assert (await execute(USER_BY_ID, {"id": "1"})).data["user"]["id"] == "1"  # nothing changed


async def test_users_list_is_for_admins_and_services(execute, add_users) -> None:
    await add_users(3)

    assert code_of(await execute(USERS, identity=None)) == "UNAUTHENTICATED"
    forbidden = error_of(await execute(USERS, identity=a_user(1)))
    assert forbidden["extensions"]["code"] == "FORBIDDEN"
    assert "admin, service" in forbidden["message"]
    for caller in (AN_ADMIN, A_SERVICE):
        assert (await execute(USERS, identity=caller)).data["users"]["pageInfo"] == {
            "totalCount": 3
        }


async def test_user_by_id_is_for_the_user_admins_and_services(execute, add_users) -> None:
    await add_users(2)

    own = await execute(USER_BY_ID, {"id": "1"}, identity=a_user(1))
    other = await execute(USER_BY_ID, {"id": "2"}, identity=a_user(1))
    missing = await execute(USER_BY_ID, {"id": "99"}, identity=a_user(1))
    anonymous = await execute(USER_BY_ID, {"id": "1"}, identity=None)
    service = await execute(USER_BY_ID, {"id": "2"}, identity=A_SERVICE)

    assert own.data["user"] == {"id": "1", "email": "user1@example.com"}
    assert code_of(other) == code_of(missing) == "FORBIDDEN"
    assert code_of(anonymous) == "UNAUTHENTICATED"
    assert service.data["user"]["id"] == "2"


async def test_entity_references_resolve_for_anyone(execute, add_users) -> None:
    await add_users(2)
    representations = [{"__typename": "User", "id": "2"}, {"__typename": "User", "id": "1"}]

    result = await execute(ENTITIES, {"representations": representations}, identity=None)

    assert result.errors is None
    assert result.data["_entities"] == [
        {"id": "2", "name": "User 2"},
        {"id": "1", "name": "User 1"},
    ]


async def test_me_is_the_signed_in_user(execute, add_users) -> None:
    await add_users(2)

    me = await execute(ME, identity=a_user(2))
    anonymous = await execute(ME, identity=None)
    service = await execute(ME, identity=A_SERVICE)

    assert me.data["me"] == {"id": "2", "username": "user2", "role": "USER"}
    assert code_of(anonymous) == "UNAUTHENTICATED"
    assert code_of(service) == "FORBIDDEN"
    assert "service token has no user" in error_of(service)["message"]


async def test_admin_creates_an_admin_with_a_password_who_can_log_in(execute) -> None:
    created = await execute(
        CREATE,
        {
            "input": {
                "email": "root@example.com",
                "name": "Root",
                "username": "Root",
                "password": PASSWORD,
                "role": "ADMIN",
            }
        },
    )
    assert created.data["createUser"] == {"id": "1", "username": "root", "role": "ADMIN"}

    logged_in = await execute(
        LOGIN, {"input": {"login": "ROOT", "password": PASSWORD}}, identity=None
    )

    assert logged_in.data["login"]["user"] == {"id": "1", "username": "root", "role": "ADMIN"}


async def test_created_users_get_a_username_from_their_email(execute) -> None:
    first = await execute(CREATE, {"input": {"email": "Grace.H@example.com", "name": "G"}})
    second = await execute(CREATE, {"input": {"email": "grace.h@example.org", "name": "G"}})
    taken = await execute(
        CREATE, {"input": {"email": "g@example.net", "name": "G", "username": "GRACE.H"}}
    )

    assert first.data["createUser"]["username"] == "grace.h"
    assert second.data["createUser"]["username"] == "grace.h-2"
    assert error_of(taken)["extensions"] == {"code": "CONFLICT", "field": "username"}


async def test_register_login_me_refresh_logout(execute, installed_policy) -> None:
    registered = await execute(
        REGISTER,
        {"input": {"email": "ada@example.com", "username": "ada", "password": PASSWORD}},
        identity=None,
    )
    assert registered.errors is None
    payload = registered.data["register"]
    assert (payload["tokenType"], payload["expiresIn"]) == ("Bearer", 15 * 60)
    assert payload["user"] == {"id": "1", "username": "ada", "role": "USER"}

    logged_in = (
        await execute(LOGIN, {"input": {"login": "Ada", "password": PASSWORD}}, identity=None)
    ).data["login"]
    claims = await verify_token(logged_in["accessToken"], installed_policy.auth)
    me = await execute(ME, identity=Identity.from_claims(claims))
    assert me.data["me"] == {"id": "1", "username": "ada", "role": "USER"}

    refreshed = await execute(REFRESH, {"t": logged_in["refreshToken"]}, identity=None)
    assert refreshed.data["refreshToken"]["user"]["id"] == "1"
    again = await execute(REFRESH, {"t": logged_in["refreshToken"]}, identity=None)
    assert code_of(again) == "UNAUTHENTICATED"
    assert "log in again" in error_of(again)["message"].lower()

    out = await execute(LOGOUT, {"t": payload["refreshToken"], "all": False}, identity=None)
    assert out.data == {"logout": True}
    after = await execute(REFRESH, {"t": payload["refreshToken"]}, identity=None)
    assert code_of(after) == "UNAUTHENTICATED"


async def test_login_takes_the_original_api_spelling_too(execute, installed_policy) -> None:
    """The original docs log in with `email` and read `token`; both still work."""
    await execute(
        REGISTER,
        {"input": {"email": "ada@example.com", "username": "ada", "password": PASSWORD}},
        identity=None,
    )
    original = "mutation($input: LoginInput!) { login(input: $input) { token accessToken } }"
    for name in ("email", "username"):
        value = "ADA@example.com" if name == "email" else "ada"
        answer = await execute(original, {"input": {name: value, "password": PASSWORD}})
        assert answer.errors is None, answer.errors
        assert answer.data["login"]["token"] == answer.data["login"]["accessToken"]

    for names in ({}, {"email": "ada@example.com", "login": "ada"}):
        refused = error_of(await execute(LOGIN, {"input": {**names, "password": PASSWORD}}))
        assert refused["extensions"]["code"] == "VALIDATION_FAILED"
        assert "exactly one of login, email or username" in refused["message"]


async def test_sign_in_errors_as_clients_see_them(execute) -> None:
    await execute(
        REGISTER,
        {"input": {"email": "ada@example.com", "username": "ada", "password": PASSWORD}},
        identity=None,
    )
    short = await execute(
        REGISTER,
        {"input": {"email": "b@example.com", "username": "bob", "password": "short"}},
        identity=None,
    )
    assert error_of(short)["extensions"]["field"] == "password"
    assert code_of(short) == "VALIDATION_FAILED"

    for _ in range(3):  # the test policy: 3 failures per account
        wrong = await execute(LOGIN, {"input": {"login": "ada", "password": "nope nope"}})
        assert error_of(wrong)["message"] == "Wrong login or password."
    throttled = error_of(await execute(LOGIN, {"input": {"login": "ada", "password": PASSWORD}}))
    assert throttled["extensions"]["code"] == "TOO_MANY_ATTEMPTS"
    assert throttled["extensions"]["retryAfter"] > 0

    malformed = await execute(LOGOUT, {"t": "nope", "all": True}, identity=None)
    assert error_of(malformed)["extensions"]["field"] == "refreshToken"


async def test_the_client_address_from_the_gateway_keys_the_address_limit(execute) -> None:
    for name in ("a1", "a2", "a3", "a4", "a5"):  # 5 per address in the test policy
        await execute(
            LOGIN, {"input": {"login": name, "password": "x" * 9}}, client_address="192.0.2.9"
        )

    here = await execute(
        LOGIN, {"input": {"login": "a6", "password": "x" * 9}}, client_address="192.0.2.9"
    )
    elsewhere = await execute(
        LOGIN, {"input": {"login": "a6", "password": "x" * 9}}, client_address="192.0.2.10"
    )

    assert code_of(here) == "CHALLENGE_REQUIRED"
    assert code_of(elsewhere) == "UNAUTHENTICATED"
    challenge = error_of(here)["extensions"]["challenge"]
    answer = {"challenge": challenge["token"]}
    answer["challengeSolution"] = solve(challenge["token"], challenge["difficulty"])
    solved = await execute(
        LOGIN,
        {"input": {"login": "a6", "password": "x" * 9} | answer},
        client_address="192.0.2.9",
    )
    assert code_of(solved) == "UNAUTHENTICATED"  # let through to the password check


def test_sdl_has_the_sign_in_contract() -> None:
    sdl = print_sdl(schema)

    for line in (
        "register(input: RegisterInput!): AuthPayload!",
        "login(input: LoginInput!): AuthPayload!",
        "refreshToken(refreshToken: String!): AuthPayload!",
        "logout(refreshToken: String!, everywhere: Boolean! = false): Boolean!",
        "me: User",
        "role: UserRole!",
        "accessToken: String!",
        "expiresIn: Int!",
    ):
        assert line in sdl

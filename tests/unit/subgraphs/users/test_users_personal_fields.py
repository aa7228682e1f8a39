"""Personal fields of a User (email, age, active, role, createdAt, updatedAt): the user
themselves, admins and services read them, whichever path reaches the User; anyone else reads
null with FORBIDDEN at the field's path, and the public fields arrive as usual."""

from __future__ import annotations

import pytest

from subgraphs.kit.identity import ADMIN, SERVICE, USER, Identity

PERSONAL = ("email", "age", "active", "role", "createdAt", "updatedAt")
FIELDS = "id username name " + " ".join(PERSONAL)
ENTITIES = f"""
query($representations: [_Any!]!) {{
  _entities(representations: $representations) {{ ... on User {{ {FIELDS} }} }}
}}
"""
PASSWORD = "correct horse battery"
ANONYMOUS = None
ADMIN_CALLER = Identity("test-admin", roles=frozenset({ADMIN}))
SERVICE_CALLER = Identity("order-service", roles=frozenset({SERVICE}))


def user(user_id: int) -> Identity:
    return Identity(f"user:{user_id}", user_id=user_id, roles=frozenset({USER}))


def representations(*ids: str) -> dict:
    return {"representations": [{"__typename": "User", "id": i} for i in ids]}


@pytest.mark.parametrize("caller", [ANONYMOUS, user(2)], ids=["anonymous", "another user"])
async def test_others_read_public_fields_and_null_personal_ones(execute, add_users, caller) -> None:
    await add_users(2)
    result = await execute(ENTITIES, representations("1"), identity=caller)
    (entity,) = result.data["_entities"]
    assert entity == {"id": "1", "username": "user1", "name": "User 1"} | dict.fromkeys(PERSONAL)
    errors = [error.formatted for error in result.errors]
    assert [e["path"] for e in errors] == [["_entities", 0, field] for field in PERSONAL]
    assert {e["extensions"]["code"] for e in errors} == {"FORBIDDEN"}
    assert [e["extensions"]["field"] for e in errors] == list(PERSONAL)


@pytest.mark.parametrize(
    "caller", [user(1), ADMIN_CALLER, SERVICE_CALLER], ids=["the user", "admin", "service"]
)
async def test_the_user_admins_and_services_read_every_field(execute, add_users, caller) -> None:
    await add_users(1)
    result = await execute(ENTITIES, representations("1"), identity=caller)
    assert result.errors is None
    (entity,) = result.data["_entities"]
    assert entity["email"] == "user1@example.com"
    assert entity["role"] == "USER" and entity["active"] is True
    assert entity["createdAt"] is not None and entity["updatedAt"] is not None


async def test_a_batch_of_users_shows_only_the_callers_own_personal_fields(
    execute, add_users
) -> None:
    await add_users(3)
    result = await execute(ENTITIES, representations("1", "2", "3"), identity=user(2))
    emails = [entity["email"] for entity in result.data["_entities"]]
    assert emails == [None, "user2@example.com", None]
    hidden = {tuple(error.path[:2]) for error in result.errors}
    assert hidden == {("_entities", 0), ("_entities", 2)}


async def test_me_and_user_by_id_show_the_users_own_personal_fields(execute, add_users) -> None:
    await add_users(1)
    me = await execute(f"{{ me {{ {FIELDS} }} }}", identity=user(1))
    by_id = await execute(f'{{ user(id: "1") {{ {FIELDS} }} }}', identity=user(1))
    assert me.errors is None and by_id.errors is None
    assert me.data["me"]["email"] == by_id.data["user"]["email"] == "user1@example.com"


async def test_a_sign_in_answer_shows_the_signed_in_users_personal_fields(execute) -> None:
    fields = f"accessToken user {{ {FIELDS} }}"
    registered = await execute(
        f"mutation($input: RegisterInput!) {{ register(input: $input) {{ {fields} }} }}",
        {"input": {"email": "ada@example.com", "username": "ada", "password": PASSWORD}},
        identity=ANONYMOUS,
    )
    assert registered.errors is None
    assert registered.data["register"]["user"]["email"] == "ada@example.com"
    logged_in = await execute(
        f"mutation($input: LoginInput!) {{ login(input: $input) {{ {fields} }} }}",
        {"input": {"login": "ada", "password": PASSWORD}},
        identity=ANONYMOUS,
    )
    assert logged_in.errors is None
    assert logged_in.data["login"]["user"]["role"] == "USER"

"""The users schema run in-process: queries, mutations, entities, errors as clients see them."""

from __future__ import annotations

import pytest

from subgraphs.kit.schema import print_sdl
from subgraphs.users.schema import schema

USER_FIELDS = "fragment F on User { id email name age active createdAt updatedAt }"
ENTITIES = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id name email } }
}
"""
CREATE = "mutation($input: CreateUserInput!) { createUser(input: $input) { ...F } }" + USER_FIELDS
UPDATE = (
    "mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ...F } }"
    + USER_FIELDS
)
DELETE = "mutation($id: ID!) { deleteUser(id: $id) }"


def error_of(result) -> dict:
    """The only error of a result, as the HTTP response would carry it."""
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


async def test_create_user_then_fetch_it(execute, clock) -> None:
    created = await execute(
        CREATE, {"input": {"email": " Ada@Example.com", "name": "Ada Lovelace", "age": 36}}
    )

    assert created.errors is None
    user = created.data["createUser"]
    assert user["id"] == "1"
    assert (user["email"], user["name"], user["age"], user["active"]) == (
        "ada@example.com",
        "Ada Lovelace",
        36,
        True,
    )
    # SQLite hands back naive timestamps; the schema serves them as UTC.
    assert user["createdAt"].endswith("+00:00")

    fetched = await execute("query($id: ID!) { user(id: $id) { ...F } }" + USER_FIELDS, {"id": "1"})
    assert fetched.data["user"] == user


@pytest.mark.parametrize("user_id", ["2", "abc", "-1", ""])
async def test_user_is_null_for_unknown_or_malformed_ids(execute, add_users, user_id) -> None:
    await add_users(1)

    result = await execute("query($id: ID!) { user(id: $id) { id } }", {"id": user_id})

    assert result.errors is None
    assert result.data == {"user": None}


async def test_users_pages_and_filters(execute, add_users) -> None:
    await add_users(5)
    await execute(UPDATE, {"id": "2", "input": {"active": False}})

    page = await execute(
        "{ users(page: 2, pageSize: 2) { items { id } "
        "pageInfo { page pageSize totalPages totalCount } } }"
    )
    search = await execute('{ users(search: "USER 3") { items { name } } }')
    inactive = await execute("{ users(active: false) { items { id } pageInfo { totalCount } } }")

    assert page.data["users"] == {
        "items": [{"id": "3"}, {"id": "4"}],
        "pageInfo": {"page": 2, "pageSize": 2, "totalPages": 3, "totalCount": 5},
    }
    assert search.data["users"]["items"] == [{"name": "User 3"}]
    assert inactive.data["users"] == {"items": [{"id": "2"}], "pageInfo": {"totalCount": 1}}


async def test_users_default_page_size_is_20(execute, add_users) -> None:
    await add_users(21)

    result = await execute("{ users { items { id } pageInfo { pageSize totalPages } } }")

    assert len(result.data["users"]["items"]) == 20
    assert result.data["users"]["pageInfo"] == {"pageSize": 20, "totalPages": 2}


async def test_bad_page_arguments_are_one_validation_error(execute) -> None:
    result = await execute("{ users(page: 0, pageSize: 101) { items { id } } }")

    error = error_of(result)
    assert error["path"] == ["users"]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "page"
    assert [p["field"] for p in error["extensions"]["problems"]] == ["page", "pageSize"]


async def test_create_user_validation_error_names_every_field(execute) -> None:
    result = await execute(CREATE, {"input": {"email": "nope", "name": "", "age": -3}})

    error = error_of(result)
    assert result.data is None
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "email"
    assert [p["field"] for p in error["extensions"]["problems"]] == ["email", "name", "age"]


async def test_duplicate_email_is_a_conflict_on_email(execute, add_users) -> None:
    await add_users(1)

    result = await execute(CREATE, {"input": {"email": "USER1@example.com", "name": "Twin"}})

    error = error_of(result)
    assert error["extensions"] == {"code": "CONFLICT", "field": "email"}
    assert "user1@example.com" not in error["message"].lower()  # never repeated back


async def test_update_user_changes_only_given_fields(execute, add_users, clock) -> None:
    await add_users(1, age=30)
    clock.advance(minutes=1)

    result = await execute(UPDATE, {"id": "1", "input": {"name": "Renamed", "age": None}})

    user = result.data["updateUser"]
    assert (user["name"], user["age"], user["email"], user["active"]) == (
        "Renamed",
        None,
        "user1@example.com",
        True,
    )


async def test_update_user_errors(execute, add_users) -> None:
    await add_users(2)

    missing = await execute(UPDATE, {"id": "42", "input": {"name": "X"}})
    malformed = await execute(UPDATE, {"id": "x", "input": {"name": "X"}})
    invalid = await execute(UPDATE, {"id": "1", "input": {"name": None, "age": 500}})
    taken = await execute(UPDATE, {"id": "1", "input": {"email": "user2@example.com"}})

    assert error_of(missing)["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert error_of(malformed)["extensions"]["code"] == "NOT_FOUND"
    assert [p["field"] for p in error_of(invalid)["extensions"]["problems"]] == ["name", "age"]
    assert error_of(taken)["extensions"] == {"code": "CONFLICT", "field": "email"}


async def test_deleted_user_is_gone_from_every_read_and_write(execute, add_users) -> None:
    await add_users(2)

    deleted = await execute(DELETE, {"id": "1"})
    assert deleted.data == {"deleteUser": True}

    fetched = await execute("{ user(id: 1) { id } }")
    listed = await execute("{ users { items { id } pageInfo { totalCount } } }")
    entities = await execute(ENTITIES, {"representations": [{"__typename": "User", "id": "1"}]})
    updated = await execute(UPDATE, {"id": "1", "input": {"name": "Ghost"}})
    again = await execute(DELETE, {"id": "1"})

    assert fetched.data == {"user": None}
    assert listed.data["users"] == {"items": [{"id": "2"}], "pageInfo": {"totalCount": 1}}
    assert entities.data == {"_entities": [None]}
    assert error_of(updated)["extensions"]["code"] == "NOT_FOUND"
    assert error_of(again)["extensions"]["code"] == "NOT_FOUND"


async def test_entities_resolve_n_users_with_one_sql_statement(
    execute, add_users, engine, sql_statements
) -> None:
    await add_users(6)
    representations = [
        {"__typename": "User", "id": "3"},
        {"__typename": "User", "id": 1},
        {"__typename": "User", "id": "99"},
        {"__typename": "User", "id": "abc"},
        {"__typename": "User", "id": "3"},
        {"__typename": "User", "id": "6"},
    ]
    statements = sql_statements(engine)

    result = await execute(ENTITIES, {"representations": representations})

    assert result.errors is None
    assert [user["id"] if user else None for user in result.data["_entities"]] == [
        "3",
        "1",
        None,
        None,
        "3",
        "6",
    ]
    assert statements.count == 1, statements.statements


async def test_sibling_root_fields_share_the_session_safely(execute, add_users) -> None:
    await add_users(3)

    result = await execute(
        "{ a: user(id: 1) { id } b: users { items { id } } c: user(id: 3) { name } "
        'd: users(search: "2") { pageInfo { totalCount } } }'
    )

    assert result.errors is None
    assert result.data["a"] == {"id": "1"}
    assert result.data["c"] == {"name": "User 3"}
    assert result.data["d"]["pageInfo"]["totalCount"] == 1


async def test_an_unexpected_error_is_internal_and_hides_its_details(
    execute, monkeypatch, caplog
) -> None:
    async def broken(*_args, **_kwargs):
        raise RuntimeError("secret database detail")

    monkeypatch.setattr("subgraphs.users.service.UserService.list_page", broken)

    result = await execute("{ users { items { id } } }")

    error = error_of(result)
    assert error["extensions"] == {"code": "INTERNAL"}
    assert "secret" not in error["message"]
    assert "request id" in error["message"]
    assert "secret database detail" in caplog.text


async def test_graphql_validation_errors_carry_a_code(execute) -> None:
    result = await execute("{ nope }")

    assert error_of(result)["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_sdl_is_federation_v2_with_user_keyed_by_id() -> None:
    sdl = print_sdl(schema)

    assert '@link(url: "https://specs.apollo.dev/federation/v2' in sdl
    assert 'type User @key(fields: "id")' in sdl
    assert "type PageInfo @shareable" in sdl
    assert "users(page: Int! = 1, pageSize: Int! = 20" in sdl


async def test_service_sdl_field_answers_the_printed_sdl(execute) -> None:
    result = await execute("{ _service { sdl } }")

    assert result.data["_service"]["sdl"] == print_sdl(schema)

"""The repositories schema run in-process: queries, mutations, User stubs, entities, errors."""

from __future__ import annotations

from subgraphs.kit.schema import print_sdl
from subgraphs.repositories.schema import schema

REPO = (
    "fragment R on Repository { id name description ownerId visibility url active "
    "createdAt updatedAt owner { id } }"
)
CREATE = "mutation($input: CreateRepositoryInput!) { createRepository(input: $input) { ...R } }"
UPDATE = (
    "mutation($id: ID!, $input: UpdateRepositoryInput!) "
    "{ updateRepository(id: $id, input: $input) { ...R } }"
)
DELETE = "mutation($id: ID!) { deleteRepository(id: $id) }"
USER_REPOS = """
query($r: [_Any!]!) {
  _entities(representations: $r) { ... on User { id repositories { id name } } }
}
"""


def error_of(result) -> dict:
    """The only error of a result, as the HTTP response would carry it."""
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


async def create(execute, **fields) -> dict:
    result = await execute(CREATE + REPO, {"input": {"name": "tex", "ownerId": "6", **fields}})
    assert result.errors is None, result.errors
    return result.data["createRepository"]


async def test_create_then_fetch(execute) -> None:
    repo = await create(execute, description="A typesetting system", url="https://e.com/tex")

    assert {k: repo[k] for k in ("id", "name", "ownerId", "visibility", "active", "url")} == {
        "id": "1",
        "name": "tex",
        "ownerId": "6",
        "visibility": "PRIVATE",
        "active": True,
        "url": "https://e.com/tex",
    }
    assert repo["owner"] == {"id": "6"}
    assert repo["createdAt"].endswith("+00:00")
    fetched = await execute("{ repository(id: 1) { ...R } }" + REPO)
    assert fetched.data["repository"] == repo


async def test_create_errors(execute) -> None:
    await create(execute)

    taken = await execute(CREATE + REPO, {"input": {"name": "tex", "ownerId": "6"}})
    invalid = await execute(
        CREATE + REPO, {"input": {"name": "no spaces", "ownerId": "6", "url": "file:///etc"}}
    )

    error = error_of(taken)
    assert error["extensions"] == {"code": "CONFLICT", "field": "name"}
    assert "tex" not in error["message"]
    assert [p["field"] for p in error_of(invalid)["extensions"]["problems"]] == ["name", "url"]


async def test_partial_update_and_errors(execute) -> None:
    await create(execute, description="keep me")
    await create(execute, name="metafont")

    updated = await execute(UPDATE + REPO, {"id": "1", "input": {"visibility": "PUBLIC"}})
    taken = await execute(UPDATE + REPO, {"id": "2", "input": {"name": "tex"}})
    missing = await execute(UPDATE + REPO, {"id": "9", "input": {"name": "x"}})
    null_active = await execute(UPDATE + REPO, {"id": "1", "input": {"active": None}})

    repo = updated.data["updateRepository"]
    assert (repo["visibility"], repo["description"], repo["name"]) == ("PUBLIC", "keep me", "tex")
    assert error_of(taken)["extensions"] == {"code": "CONFLICT", "field": "name"}
    assert error_of(missing)["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert error_of(null_active)["extensions"]["field"] == "active"


async def test_repositories_filters_and_pages(execute) -> None:
    await create(execute, name="a", ownerId="1", description="Analytical engine")
    await create(execute, name="b", ownerId="1", visibility="PUBLIC")
    await create(execute, name="c", ownerId="2", visibility="PUBLIC", active=False)

    by_owner = await execute(
        '{ repositories(ownerId: "1", pageSize: 1, page: 2) { items { id } '
        "pageInfo { page pageSize totalPages totalCount } } }"
    )
    public = await execute("{ repositories(visibility: PUBLIC) { items { name } } }")
    inactive = await execute("{ repositories(active: false) { items { name } } }")
    search = await execute('{ repositories(search: "ENGINE") { items { name } } }')
    malformed = await execute('{ repositories(ownerId: "x") { pageInfo { totalCount } } }')
    bad_size = await execute("{ repositories(pageSize: 101) { items { id } } }")

    assert by_owner.data["repositories"] == {
        "items": [{"id": "2"}],
        "pageInfo": {"page": 2, "pageSize": 1, "totalPages": 2, "totalCount": 2},
    }
    assert public.data["repositories"]["items"] == [{"name": "b"}, {"name": "c"}]
    assert inactive.data["repositories"]["items"] == [{"name": "c"}]
    assert search.data["repositories"]["items"] == [{"name": "a"}]
    assert malformed.data["repositories"] == {"pageInfo": {"totalCount": 0}}
    assert error_of(bad_size)["extensions"]["field"] == "pageSize"


async def test_deleted_repository_is_gone(execute) -> None:
    await create(execute)

    assert (await execute(DELETE, {"id": "1"})).data == {"deleteRepository": True}
    assert (await execute("{ repository(id: 1) { id } }")).data == {"repository": None}
    assert error_of(await execute(DELETE, {"id": "1"}))["extensions"]["code"] == "NOT_FOUND"
    entities = await execute(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Repository { id } } }",
        {"r": [{"__typename": "Repository", "id": "1"}]},
    )
    assert entities.data == {"_entities": [None]}


async def test_user_entities_carry_their_repositories_in_one_query(
    execute, engine, sql_statements
) -> None:
    await create(execute, name="a", ownerId="1")
    await create(execute, name="b", ownerId="2")
    await create(execute, name="c", ownerId="1")
    await create(execute, name="d", ownerId="1")
    await execute(DELETE, {"id": "4"})
    statements = sql_statements(engine)

    result = await execute(
        USER_REPOS,
        {"r": [{"__typename": "User", "id": i} for i in ("1", "2", "3", "x")]},
    )

    assert result.errors is None
    assert result.data["_entities"] == [
        {"id": "1", "repositories": [{"id": "3", "name": "c"}, {"id": "1", "name": "a"}]},
        {"id": "2", "repositories": [{"id": "2", "name": "b"}]},
        {"id": "3", "repositories": []},
        {"id": "x", "repositories": []},
    ]
    assert statements.count == 1


async def test_repository_entities_in_one_query(execute, engine, sql_statements) -> None:
    await create(execute, name="a")
    await create(execute, name="b")
    statements = sql_statements(engine)

    result = await execute(
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Repository { id name } } }",
        {"r": [{"__typename": "Repository", "id": i} for i in ("2", "1", "7")]},
    )

    assert result.data["_entities"] == [{"id": "2", "name": "b"}, {"id": "1", "name": "a"}, None]
    assert statements.count == 1


def test_sdl_declares_the_entity_and_the_user_stub() -> None:
    sdl = print_sdl(schema)

    assert 'type Repository @key(fields: "id")' in sdl
    assert 'type User @key(fields: "id")' in sdl
    assert "visibility: RepositoryVisibility! = PRIVATE" in sdl

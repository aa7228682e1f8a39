"""Who sees and changes which repository: PUBLIC for everyone, PRIVATE for the owner, admins and
services; writes for admins only."""

from __future__ import annotations

import pytest

from common.errors import Forbidden, Unauthenticated
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import Identity
from subgraphs.repositories.service import RepositoryService

ADMIN = Identity("admin", roles=frozenset({"admin"}))
SERVICE = Identity("order-service", roles=frozenset({"service"}))


def user(user_id: int) -> Identity:
    return Identity(f"user:{user_id}", user_id=user_id, roles=frozenset({"user"}))


CREATE = "mutation($input: CreateRepositoryInput!) { createRepository(input: $input) { id } }"
UPDATE = "mutation($id: ID!) { updateRepository(id: $id, input: {visibility: PUBLIC}) { id } }"
DELETE = "mutation($id: ID!) { deleteRepository(id: $id) }"
LIST = """
query($v: RepositoryVisibility, $o: ID) {
  repositories(visibility: $v, ownerId: $o, pageSize: 2) {
    items { name } pageInfo { totalCount totalPages } } }
"""
ONE = "query($id: ID!) { repository(id: $id) { name } }"
ENTITIES = """
query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Repository { name } ... on User { id repositories { name } } } }
"""


@pytest.fixture
async def repositories(add_repository) -> dict[str, int]:
    """Ada (user 1) has a PUBLIC and a PRIVATE repository, Bob (user 2) a PRIVATE one."""
    return {
        "ada-public": await add_repository(name="ada-public", owner_id="1", visibility="PUBLIC"),
        "ada-private": await add_repository(name="ada-private", owner_id="1"),
        "bob-private": await add_repository(name="bob-private", owner_id="2"),
    }


def names(result) -> list[str]:
    assert result.errors is None, result.errors
    return [item["name"] for item in result.data["repositories"]["items"]]


def error_of(result) -> dict:
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


async def sees(execute, identity, repositories) -> dict[str, object]:
    """What `identity` gets for each repository by id, in a list, as an entity and per owner."""
    listed = await execute(LIST, {}, identity=identity)
    by_id = {
        name: (await execute(ONE, {"id": str(row_id)}, identity=identity)).data["repository"]
        for name, row_id in repositories.items()
    }
    entities = await execute(
        ENTITIES,
        {
            "r": [{"__typename": "Repository", "id": str(i)} for i in repositories.values()]
            + [{"__typename": "User", "id": "1"}, {"__typename": "User", "id": "2"}]
        },
        identity=identity,
    )
    assert entities.errors is None, entities.errors
    *repos, ada, bob = entities.data["_entities"]
    return {
        "listed": names(listed),
        "total": listed.data["repositories"]["pageInfo"]["totalCount"],
        "by id": sorted(name for name, found in by_id.items() if found is not None),
        "entities": [repo["name"] if repo else None for repo in repos],
        "per owner": {
            "1": sorted(r["name"] for r in ada["repositories"]),
            "2": sorted(r["name"] for r in bob["repositories"]),
        },
    }


async def test_anonymous_callers_see_public_repositories_only(execute, repositories) -> None:
    assert await sees(execute, None, repositories) == {
        "listed": ["ada-public"],
        "total": 1,
        "by id": ["ada-public"],
        "entities": ["ada-public", None, None],
        "per owner": {"1": ["ada-public"], "2": []},
    }


async def test_a_user_sees_public_ones_and_their_own_private_ones(execute, repositories) -> None:
    assert await sees(execute, user(1), repositories) == {
        "listed": ["ada-public", "ada-private"],
        "total": 2,
        "by id": ["ada-private", "ada-public"],
        "entities": ["ada-public", "ada-private", None],
        "per owner": {"1": ["ada-private", "ada-public"], "2": []},
    }
    assert (await sees(execute, user(2), repositories))["by id"] == ["ada-public", "bob-private"]


@pytest.mark.parametrize("identity", [ADMIN, SERVICE], ids=["admin", "service"])
async def test_admins_and_services_see_every_repository(execute, repositories, identity) -> None:
    seen = await sees(execute, identity, repositories)

    assert seen["total"] == 3
    assert seen["by id"] == sorted(repositories)
    assert seen["entities"] == list(repositories)
    assert seen["per owner"] == {"1": ["ada-private", "ada-public"], "2": ["bob-private"]}


async def test_filters_never_widen_what_a_caller_sees(execute, repositories) -> None:
    mine = await execute(LIST, {"v": "PRIVATE"}, identity=user(1))
    theirs = await execute(LIST, {"v": "PRIVATE", "o": "2"}, identity=user(1))
    anonymous = await execute(LIST, {"v": "PRIVATE"}, identity=None)
    admin = await execute(LIST, {"v": "PRIVATE"}, identity=ADMIN)

    assert names(mine) == ["ada-private"]
    assert mine.data["repositories"]["pageInfo"] == {"totalCount": 1, "totalPages": 1}
    assert names(theirs) == []
    assert theirs.data["repositories"]["pageInfo"] == {"totalCount": 0, "totalPages": 0}
    assert names(anonymous) == []
    assert names(admin) == ["ada-private", "bob-private"]


async def test_a_user_token_without_a_user_id_sees_public_ones_only(execute, repositories) -> None:
    no_user = Identity("someone", roles=frozenset({"user"}))

    assert (await sees(execute, no_user, repositories))["by id"] == ["ada-public"]


@pytest.mark.parametrize(
    ("operation", "variables"),
    [
        (CREATE, {"input": {"name": "new", "ownerId": "1"}}),
        (UPDATE, {"id": "3"}),
        (DELETE, {"id": "3"}),
    ],
    ids=["create", "update", "delete"],
)
async def test_writes_need_an_admin(execute, repositories, operation, variables) -> None:
    anonymous = error_of(await execute(operation, variables, identity=None))
    as_owner = error_of(await execute(operation, variables, identity=user(2)))
    as_service = error_of(await execute(operation, variables, identity=SERVICE))

    assert anonymous["extensions"] == {"code": "UNAUTHENTICATED"}
    assert "Sign in" in anonymous["message"]
    for refused in (as_owner, as_service):
        assert refused["extensions"] == {"code": "FORBIDDEN"}
        assert "needs the role admin" in refused["message"]
    # Nothing changed: Bob's repository is still PRIVATE and there is no new one.
    listed = await execute(LIST, {"v": "PRIVATE"}, identity=ADMIN)
    assert names(listed) == ["ada-private", "bob-private"]
    assert (await execute(ONE, {"id": "4"})).data == {"repository": None}


async def test_a_refused_write_does_not_tell_whether_the_repository_exists(
    execute, repositories
) -> None:
    hidden = error_of(await execute(UPDATE, {"id": "3"}, identity=user(1)))
    missing = error_of(await execute(UPDATE, {"id": "99"}, identity=user(1)))

    assert hidden == missing
    assert hidden["extensions"]["code"] == "FORBIDDEN"


async def test_the_service_checks_the_role_before_anything_else(session) -> None:
    db = RequestDb(session)

    with pytest.raises(Unauthenticated):
        await RepositoryService(db).create(name="x", owner_id="1")
    with pytest.raises(Forbidden) as caught:
        await RepositoryService(db, caller=user(1)).delete("not an id")
    assert caught.value.message == (
        "Deleting a repository needs the role admin; "
        "ask an administrator to do it or to grant you the role."
    )
    assert (await RepositoryService(db, caller=ADMIN).list_page()).total == 0

"""Repositories through the gateway: owners resolved across subgraphs, User.repositories,
unique names per owner, partial updates, soft delete, filters; who sees which repository
(PUBLIC for everyone, PRIVATE for the owner, admins and services) and admin-only writes."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from tests.integration.test_users_through_gateway import create_user, only_error
from tests.support.stack import RunningStack

CREATE = """
mutation($input: CreateRepositoryInput!) {
  createRepository(input: $input) { id name visibility url active owner { id name } } }
"""
UPDATE = """
mutation($id: ID!, $input: UpdateRepositoryInput!) {
  updateRepository(id: $id, input: $input) { id name description visibility url } }
"""
DELETE = "mutation($id: ID!) { deleteRepository(id: $id) }"
BY_ID = "query($id: ID!) { repository(id: $id) { name } }"
LISTED = """
query($o: ID, $v: RepositoryVisibility) {
  repositories(ownerId: $o, visibility: $v, pageSize: 100) {
    items { name visibility ownerId } pageInfo { totalCount } } }
"""


def as_caller(stack: RunningStack, headers: dict[str, str]) -> RunningStack:
    """The stack seen by a client sending `headers` ({} for an anonymous one)."""
    return replace(stack, default_headers=headers)


def as_user(stack: RunningStack, user: dict[str, Any]) -> RunningStack:
    return as_caller(stack, stack.auth("user", user_id=int(user["id"])))


def create_repository(stack: RunningStack, owner_id: str, **fields: Any) -> dict[str, Any]:
    """A repository made by an admin (the only role that may)."""
    payload = {"name": f"repo-{uuid.uuid4().hex[:8]}", "ownerId": owner_id, **fields}
    return stack.as_admin().data(CREATE, {"input": payload})["createRepository"]


def test_create_resolves_the_owner_across_subgraphs(stack: RunningStack) -> None:
    user = create_user(stack.as_admin(), name="Linus Torvalds")
    repo = create_repository(stack, user["id"], url="https://git.example.com/linux")

    assert repo["visibility"] == "PRIVATE"
    assert repo["active"] is True
    assert repo["url"] == "https://git.example.com/linux"
    assert repo["owner"] == {"id": user["id"], "name": "Linus Torvalds"}


def test_user_repositories_come_from_the_repositories_subgraph(stack: RunningStack) -> None:
    admin = stack.as_admin()
    user = create_user(admin)
    first = create_repository(stack, user["id"])
    second = create_repository(stack, user["id"], visibility="PUBLIC")

    data = admin.data(
        """
        query($id: ID!) {
          user(id: $id) { name repositories { id visibility owner { id name } } }
          seeded: user(id: "6") { repositories { name } }
        }
        """,
        {"id": user["id"]},
    )

    assert data["user"]["name"] == user["name"]
    assert [r["id"] for r in data["user"]["repositories"]] == [second["id"], first["id"]]
    assert data["user"]["repositories"][0]["owner"] == {"id": user["id"], "name": user["name"]}
    assert {r["name"] for r in data["seeded"]["repositories"]} >= {"tex", "taocp-errata"}


def test_names_are_unique_per_owner(stack: RunningStack) -> None:
    admin = stack.as_admin()
    user, other = create_user(admin), create_user(admin)
    repo = create_repository(stack, user["id"])

    error = only_error(admin, CREATE, {"input": {"name": repo["name"], "ownerId": user["id"]}})
    assert error["extensions"] == {
        "code": "CONFLICT",
        "field": "name",
        "serviceName": "repositories",
    }
    assert repo["name"] not in error["message"]
    assert create_repository(stack, other["id"], name=repo["name"])["name"] == repo["name"]

    error = only_error(
        admin, CREATE, {"input": {"name": "bad name!", "ownerId": user["id"], "url": "ftp://x"}}
    )
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [p["field"] for p in error["extensions"]["problems"]] == ["name", "url"]


def test_partial_update_soft_delete_and_filters(stack: RunningStack) -> None:
    admin = stack.as_admin()
    user = create_user(admin)
    repo = create_repository(stack, user["id"], url="https://e.com/r")

    updated = admin.data(
        UPDATE, {"id": repo["id"], "input": {"description": "Now public", "visibility": "PUBLIC"}}
    )["updateRepository"]
    assert updated == {
        "id": repo["id"],
        "name": repo["name"],
        "description": "Now public",
        "visibility": "PUBLIC",
        "url": "https://e.com/r",
    }
    listed = admin.data(
        """
        query($o: ID) {
          public: repositories(ownerId: $o, visibility: PUBLIC) { items { id } }
          search: repositories(ownerId: $o, search: "NOW PUB") { pageInfo { totalCount } }
        }
        """,
        {"o": user["id"]},
    )
    assert listed["public"]["items"] == [{"id": repo["id"]}]
    assert listed["search"]["pageInfo"]["totalCount"] == 1

    assert admin.data(DELETE, {"id": repo["id"]}) == {"deleteRepository": True}
    gone = admin.data(
        "query($id: ID!, $o: ID!) "
        "{ repository(id: $id) { id } user(id: $o) { repositories { id } } }",
        {"id": repo["id"], "o": user["id"]},
    )
    assert gone == {"repository": None, "user": {"repositories": []}}
    error = only_error(admin, UPDATE, {"id": repo["id"], "input": {"name": "again"}})
    assert error["extensions"] == {
        "code": "NOT_FOUND",
        "field": "id",
        "serviceName": "repositories",
    }


def test_each_caller_sees_public_repositories_and_only_their_own_private_ones(
    stack: RunningStack,
) -> None:
    admin = stack.as_admin()
    ada, bob = create_user(admin, name="Ada"), create_user(admin, name="Bob")
    ada_public = create_repository(stack, ada["id"], visibility="PUBLIC")
    ada_private = create_repository(stack, ada["id"])
    bob_private = create_repository(stack, bob["id"])
    callers = {
        "anonymous": as_caller(stack, {}),
        "ada": as_user(stack, ada),
        "bob": as_user(stack, bob),
        "admin": admin,
        "service": as_caller(stack, stack.auth("service")),
    }

    def by_id(caller: RunningStack) -> list[str]:
        found = [
            caller.data(BY_ID, {"id": repo["id"]})["repository"]
            for repo in (ada_public, ada_private, bob_private)
        ]
        return [repo["name"] for repo in found if repo is not None]

    seen = {name: by_id(caller) for name, caller in callers.items()}

    assert seen == {
        "anonymous": [ada_public["name"]],
        "ada": [ada_public["name"], ada_private["name"]],
        "bob": [ada_public["name"], bob_private["name"]],
        "admin": [ada_public["name"], ada_private["name"], bob_private["name"]],
        "service": [ada_public["name"], ada_private["name"], bob_private["name"]],
    }
    adas = {name: caller.data(LISTED, {"o": ada["id"]}) for name, caller in callers.items()}
    assert adas["anonymous"]["repositories"] == {
        "items": [{"name": ada_public["name"], "visibility": "PUBLIC", "ownerId": ada["id"]}],
        "pageInfo": {"totalCount": 1},
    }
    assert adas["bob"] == adas["anonymous"], "another user's PRIVATE ones are not even counted"
    for name in ("ada", "admin", "service"):
        assert adas[name]["repositories"]["pageInfo"] == {"totalCount": 2}, name


def test_a_private_filter_shows_a_user_their_own_and_anonymous_callers_nothing(
    stack: RunningStack,
) -> None:
    ada, bob = create_user(stack.as_admin()), create_user(stack.as_admin())
    ada_private = create_repository(stack, ada["id"])
    create_repository(stack, bob["id"])

    mine = as_user(stack, ada).data(LISTED, {"v": "PRIVATE"})["repositories"]
    anonymous = as_caller(stack, {}).data(LISTED, {"v": "PRIVATE"})["repositories"]
    bobs = as_user(stack, ada).data(LISTED, {"v": "PRIVATE", "o": bob["id"]})["repositories"]

    assert mine == {
        "items": [{"name": ada_private["name"], "visibility": "PRIVATE", "ownerId": ada["id"]}],
        "pageInfo": {"totalCount": 1},
    }
    assert anonymous == {"items": [], "pageInfo": {"totalCount": 0}}
    assert bobs == {"items": [], "pageInfo": {"totalCount": 0}}
    everything = as_caller(stack, {}).data(LISTED)["repositories"]
    assert {item["visibility"] for item in everything["items"]} == {"PUBLIC"}


def test_joins_through_the_owner_keep_the_rules(stack: RunningStack) -> None:
    ada, bob = create_user(stack.as_admin(), name="Ada"), create_user(stack.as_admin())
    public = create_repository(stack, ada["id"], visibility="PUBLIC")
    private = create_repository(stack, ada["id"])
    query = """
    query($id: ID!) { repository(id: $id) { name owner { id name repositories { name } } } }
    """

    as_bob = as_user(stack, bob).data(query, {"id": public["id"]})["repository"]
    as_anonymous = as_caller(stack, {}).data(query, {"id": public["id"]})["repository"]
    as_ada = as_user(stack, ada).data(query, {"id": public["id"]})["repository"]

    assert as_bob == {
        "name": public["name"],
        "owner": {"id": ada["id"], "name": "Ada", "repositories": [{"name": public["name"]}]},
    }
    assert as_anonymous == as_bob
    assert as_ada["owner"]["repositories"] == [{"name": private["name"]}, {"name": public["name"]}]


def test_writes_need_an_admin_token(stack: RunningStack) -> None:
    owner = create_user(stack.as_admin())
    repo = create_repository(stack, owner["id"])
    attempts = {
        "create": (CREATE, {"input": {"name": "mine", "ownerId": owner["id"]}}),
        "update": (UPDATE, {"id": repo["id"], "input": {"visibility": "PUBLIC"}}),
        "delete": (DELETE, {"id": repo["id"]}),
    }

    for name, (operation, variables) in attempts.items():
        anonymous = only_error(as_caller(stack, {}), operation, variables)
        assert anonymous["extensions"] == {
            "code": "UNAUTHENTICATED",
            "serviceName": "repositories",
        }, name
        for caller in (as_user(stack, owner), as_caller(stack, stack.auth("service"))):
            refused = only_error(caller, operation, variables)
            assert refused["extensions"] == {"code": "FORBIDDEN", "serviceName": "repositories"}
            assert "needs the role admin" in refused["message"], name

    unchanged = stack.as_admin().data(LISTED, {"o": owner["id"]})["repositories"]
    assert unchanged["items"] == [
        {"name": repo["name"], "visibility": "PRIVATE", "ownerId": owner["id"]}
    ]

"""Repositories through the gateway: owners resolved across subgraphs, User.repositories,
unique names per owner, partial updates, soft delete, filters."""

from __future__ import annotations

import uuid
from typing import Any

from tests.integration.conftest import RunningStack
from tests.integration.test_users_through_gateway import create_user, only_error

CREATE = """
mutation($input: CreateRepositoryInput!) {
  createRepository(input: $input) { id name visibility url active owner { id name } } }
"""
UPDATE = """
mutation($id: ID!, $input: UpdateRepositoryInput!) {
  updateRepository(id: $id, input: $input) { id name description visibility url } }
"""


def create_repository(stack: RunningStack, owner_id: str, **fields: Any) -> dict[str, Any]:
    payload = {"name": f"repo-{uuid.uuid4().hex[:8]}", "ownerId": owner_id, **fields}
    return stack.data(CREATE, {"input": payload})["createRepository"]


def test_create_resolves_the_owner_across_subgraphs(stack: RunningStack) -> None:
    user = create_user(stack, name="Linus Torvalds")
    repo = create_repository(stack, user["id"], url="https://git.example.com/linux")

    assert repo["visibility"] == "PRIVATE"
    assert repo["active"] is True
    assert repo["url"] == "https://git.example.com/linux"
    assert repo["owner"] == {"id": user["id"], "name": "Linus Torvalds"}


def test_user_repositories_come_from_the_repositories_subgraph(stack: RunningStack) -> None:
    user = create_user(stack)
    first = create_repository(stack, user["id"])
    second = create_repository(stack, user["id"], visibility="PUBLIC")

    data = stack.data(
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
    user, other = create_user(stack), create_user(stack)
    repo = create_repository(stack, user["id"])

    error = only_error(stack, CREATE, {"input": {"name": repo["name"], "ownerId": user["id"]}})
    assert error["extensions"] == {
        "code": "CONFLICT",
        "field": "name",
        "serviceName": "repositories",
    }
    assert create_repository(stack, other["id"], name=repo["name"])["name"] == repo["name"]

    error = only_error(
        stack, CREATE, {"input": {"name": "bad name!", "ownerId": user["id"], "url": "ftp://x"}}
    )
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [p["field"] for p in error["extensions"]["problems"]] == ["name", "url"]


def test_partial_update_soft_delete_and_filters(stack: RunningStack) -> None:
    user = create_user(stack)
    repo = create_repository(stack, user["id"], url="https://e.com/r")

    updated = stack.data(
        UPDATE, {"id": repo["id"], "input": {"description": "Now public", "visibility": "PUBLIC"}}
    )["updateRepository"]
    assert updated == {
        "id": repo["id"],
        "name": repo["name"],
        "description": "Now public",
        "visibility": "PUBLIC",
        "url": "https://e.com/r",
    }
    listed = stack.data(
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

    assert stack.data("mutation($id: ID!) { deleteRepository(id: $id) }", {"id": repo["id"]}) == {
        "deleteRepository": True
    }
    gone = stack.data(
        "query($id: ID!, $o: ID!) "
        "{ repository(id: $id) { id } user(id: $o) { repositories { id } } }",
        {"id": repo["id"], "o": user["id"]},
    )
    assert gone == {"repository": None, "user": {"repositories": []}}
    error = only_error(stack, UPDATE, {"id": repo["id"], "input": {"name": "again"}})
    assert error["extensions"] == {
        "code": "NOT_FOUND",
        "field": "id",
        "serviceName": "repositories",
    }

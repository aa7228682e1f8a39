"""The repository endpoints: request validation, the operation each runs, the answer's shape.

The runner given to the router stands in for the pipeline and records what it was asked; the
whole chain (gateway, repositories subgraph, database) is exercised in
tests/integration/test_rest_repositories.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from gateway.rest.repositories import REPOSITORY_FIELDS
from tests.unit.gateway.rest.support import answering, client, failing, refused_fields

REPOSITORY = {
    "id": "5",
    "name": "repo-one",
    "description": "Core services repo",
    "ownerId": "1",
    "visibility": "PRIVATE",
    "url": "https://example.com/repo-one",
    "active": True,
    "createdAt": "2026-01-01T00:00:00Z",
    "updatedAt": "2026-01-02T00:00:00Z",
}
#: REPOSITORY as the REST answer gives it.
ANSWERED = {
    "id": 5,
    "name": "repo-one",
    "description": "Core services repo",
    "owner_id": 1,
    "visibility": "private",
    "url": "https://example.com/repo-one",
    "active": True,
    "created_at": "2026-01-01T00:00:00Z",
    "updated_at": "2026-01-02T00:00:00Z",
}
PAGE_INFO = {"page": 2, "pageSize": 1, "totalPages": 3, "totalCount": 3}


async def test_create_is_201_with_location_and_defaults_left_to_the_graph() -> None:
    runner = answering("createRepository", REPOSITORY)
    async with client(runner) as http:
        response = await http.post(
            "/api/v1/repositories",
            json={"name": "repo-one", "owner_id": 1, "visibility": "public", "url": "https://x.y"},
        )
    assert response.status_code == 201
    assert response.headers["location"] == "/api/v1/repositories/5"
    assert response.json() == {"success": True, "data": ANSWERED}
    [(query, variables, name)] = runner.calls
    assert name == "CreateRepository"
    assert variables == {
        "input": {"name": "repo-one", "ownerId": "1", "visibility": "PUBLIC", "url": "https://x.y"}
    }
    assert "createRepository(input: $input)" in query


async def test_get_selects_every_field_and_answers_snake_case() -> None:
    runner = answering("repository", REPOSITORY)
    async with client(runner) as http:
        response = await http.get("/api/v1/repositories/5")
    assert response.json() == {"success": True, "data": ANSWERED}
    [(query, variables, name)] = runner.calls
    assert (name, variables) == ("Repository", {"id": "5"})
    assert f"{{ {REPOSITORY_FIELDS} }}" in query


async def test_a_null_repository_is_404() -> None:
    async with client(answering("repository", None)) as http:
        response = await http.get("/api/v1/repositories/99")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "NOT_FOUND"
    assert "repository 99" in error["message"]


async def test_list_passes_filters_and_answers_meta() -> None:
    runner = answering("repositories", {"items": [REPOSITORY], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        response = await http.get(
            "/api/v1/repositories",
            params={
                "page": 2,
                "page_size": 1,
                "search": "core",
                "owner_id": 1,
                "visibility": "public",
                "active": "true",
            },
        )
    assert response.json() == {
        "success": True,
        "data": [ANSWERED],
        "meta": {"page": 2, "page_size": 1, "total_pages": 3, "total_count": 3},
    }
    [(_, variables, name)] = runner.calls
    assert name == "Repositories"
    assert variables == {
        "page": 2,
        "pageSize": 1,
        "search": "core",
        "ownerId": "1",
        "visibility": "PUBLIC",
        "active": True,
    }


async def test_list_without_filters_sends_only_the_page() -> None:
    runner = answering("repositories", {"items": [], "pageInfo": PAGE_INFO})
    async with client(runner) as http:
        await http.get("/api/v1/repositories")
    assert runner.calls[0][1] == {"page": 1, "pageSize": 10}


async def test_update_sends_only_the_fields_given_and_null_clears() -> None:
    runner = answering("updateRepository", REPOSITORY)
    async with client(runner) as http:
        response = await http.put(
            "/api/v1/repositories/5",
            json={"visibility": "private", "description": None, "active": False},
        )
    assert response.status_code == 200
    [(_, variables, name)] = runner.calls
    assert name == "UpdateRepository"
    assert variables == {
        "id": "5",
        "input": {"visibility": "PRIVATE", "description": None, "active": False},
    }


async def test_delete_answers_id_and_deleted_or_404() -> None:
    async with client(answering("deleteRepository", True)) as http:
        done = await http.delete("/api/v1/repositories/5")
    runner = failing("deleteRepository", "NOT_FOUND", "No repository with id 6", field="id")
    async with client(runner) as http:
        gone = await http.delete("/api/v1/repositories/6")
    assert done.json() == {"success": True, "data": {"id": 5, "deleted": True}}
    assert gone.status_code == 404
    assert runner.calls[0][1:] == ({"id": "6"}, "DeleteRepository")


async def test_a_conflict_from_the_graph_is_409_with_its_field() -> None:
    taken = failing(
        "createRepository",
        "CONFLICT",
        "User 1 already has a repository with this name",
        field="name",
    )
    async with client(taken) as http:
        response = await http.post("/api/v1/repositories", json={"name": "repo-one", "owner_id": 1})
    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"field": "name"}


@pytest.mark.parametrize(
    ("method", "path", "body", "field_name"),
    [
        ("POST", "/api/v1/repositories", {"owner_id": 1}, "name"),
        ("POST", "/api/v1/repositories", {"name": "r"}, "owner_id"),
        ("POST", "/api/v1/repositories", {"name": "r", "owner_id": "1"}, "owner_id"),
        ("POST", "/api/v1/repositories", {"name": "r", "owner_id": 0}, "owner_id"),
        ("POST", "/api/v1/repositories", {"name": "r", "owner_id": 2**31}, "owner_id"),
        ("POST", "/api/v1/repositories", {"name": "", "owner_id": 1}, "name"),
        ("POST", "/api/v1/repositories", {"name": "r" * 101, "owner_id": 1}, "name"),
        ("POST", "/api/v1/repositories", {"name": "r", "owner_id": 1, "url": "u" * 2049}, "url"),
        (
            "POST",
            "/api/v1/repositories",
            {"name": "r", "owner_id": 1, "description": "d" * 1001},
            "description",
        ),
        (
            "POST",
            "/api/v1/repositories",
            {"name": "r", "owner_id": 1, "visibility": "PUBLIC"},
            "visibility",
        ),
        ("POST", "/api/v1/repositories", {"name": "r", "owner_id": 1, "stars": 3}, "stars"),
        ("PUT", "/api/v1/repositories/5", {"visibility": "internal"}, "visibility"),
        ("PUT", "/api/v1/repositories/5", {"active": "yes"}, "active"),
        ("PUT", "/api/v1/repositories/5", {"owner_id": 2}, "owner_id"),
        ("PUT", "/api/v1/repositories/0", {"active": True}, "repository_id"),
        ("GET", "/api/v1/repositories/0", None, "repository_id"),
        ("GET", f"/api/v1/repositories/{2**63}", None, "repository_id"),
        ("DELETE", f"/api/v1/repositories/{2**31}", None, "repository_id"),
        ("GET", "/api/v1/repositories?page_size=101", None, "page_size"),
        ("GET", "/api/v1/repositories?page=0", None, "page"),
        ("GET", "/api/v1/repositories?visibility=secret", None, "visibility"),
        ("GET", f"/api/v1/repositories?owner_id={2**31}", None, "owner_id"),
        ("GET", f"/api/v1/repositories?search={'s' * 201}", None, "search"),
        ("GET", "/api/v1/repositories?active=maybe", None, "active"),
    ],
)
async def test_invalid_requests_are_422_naming_the_field_and_never_reach_the_graph(
    method: str, path: str, body: Any, field_name: str
) -> None:
    runner = answering("repository", REPOSITORY)
    async with client(runner) as http:
        response = await http.request(method, path, json=body)
    assert field_name in refused_fields(response)
    assert runner.calls == []


async def test_openapi_documents_who_may_call_and_what_comes_back() -> None:
    async with client(answering("repository", None)) as http:
        document = (await http.get("/openapi.json")).json()
    paths = document["paths"]
    item, collection = paths["/api/v1/repositories/{repository_id}"], paths["/api/v1/repositories"]
    optional = [{}, {"bearerAuth": []}]
    assert item["get"]["security"] == optional and collection["get"]["security"] == optional
    assert "security" not in collection["post"] and "security" not in item["put"]
    assert "Location" in collection["post"]["responses"]["201"]["headers"]
    assert {"404", "409"} <= set(item["put"]["responses"])
    assert [operation["operationId"] for operation in (*collection.values(), *item.values())] == [
        "createRepository",
        "listRepositories",
        "getRepository",
        "updateRepository",
        "deleteRepository",
    ]
    schema = document["components"]["schemas"]["CreateRepository"]
    assert schema["properties"]["visibility"]["enum"] == ["private", "public"]
    assert schema["additionalProperties"] is False

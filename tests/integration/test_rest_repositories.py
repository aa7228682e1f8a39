"""The repository endpoints over REST through the running gateway and repositories subgraph:
create, read, list, update and delete in the original envelope; who sees a private repository
(its owner, admins) and who does not (anonymous callers, other users); admin-only writes."""

from __future__ import annotations

import random
import uuid
from typing import Any

from tests.integration.rest_support import call, created_item, error_of
from tests.support.stack import RunningStack

PATH = "/api/v1/repositories"
FIELDS = {
    "id",
    "name",
    "description",
    "owner_id",
    "visibility",
    "url",
    "active",
    "created_at",
    "updated_at",
}


def fresh_owner() -> int:
    """A user id of its own for each test (the subgraph does not ask whether the user exists),
    so lists filtered by owner see only that test's repositories."""
    return random.randint(100_000, 2**31 - 1)


def fresh_name() -> str:
    return f"rest-repo-{uuid.uuid4().hex[:10]}"


def create(stack: RunningStack, owner_id: int, **fields: Any) -> dict[str, Any]:
    body = {"name": fresh_name(), "owner_id": owner_id, **fields}
    return created_item(call(stack, "POST", PATH, stack.admin, json=body))


def test_create_read_update_delete(stack: RunningStack) -> None:
    owner = fresh_owner()
    name = fresh_name()
    created = call(
        stack,
        "POST",
        PATH,
        stack.admin,
        json={
            "name": name,
            "description": "Core services repo",
            "owner_id": owner,
            "url": "https://example.com/repo-one",
        },
    )
    assert created.status_code == 201, created.json()
    repo = created.json()["data"]
    assert set(repo) == FIELDS
    assert isinstance(repo["id"], int)
    assert created.headers["location"] == f"{PATH}/{repo['id']}"
    assert (repo["name"], repo["owner_id"], repo["visibility"], repo["active"]) == (
        name,
        owner,
        "private",
        True,
    )
    assert repo["url"] == "https://example.com/repo-one"

    read = call(stack, "GET", created.headers["location"], stack.admin)
    assert read.json() == {"success": True, "data": repo}

    updated = call(
        stack,
        "PUT",
        f"{PATH}/{repo['id']}",
        stack.admin,
        json={"description": "Updated description", "visibility": "public", "url": None},
    )
    assert updated.status_code == 200, updated.json()
    changed = updated.json()["data"]
    assert (changed["description"], changed["visibility"], changed["url"]) == (
        "Updated description",
        "public",
        None,
    )
    assert (changed["name"], changed["created_at"]) == (name, repo["created_at"])

    deleted = call(stack, "DELETE", f"{PATH}/{repo['id']}", stack.admin)
    assert deleted.json() == {"success": True, "data": {"id": repo["id"], "deleted": True}}
    error_of(call(stack, "GET", f"{PATH}/{repo['id']}", stack.admin), 404, "NOT_FOUND")
    error_of(call(stack, "DELETE", f"{PATH}/{repo['id']}", stack.admin), 404, "NOT_FOUND")
    error_of(
        call(stack, "PUT", f"{PATH}/{repo['id']}", stack.admin, json={"active": False}),
        404,
        "NOT_FOUND",
    )
    listed = call(stack, "GET", PATH, stack.admin, params={"owner_id": owner})
    assert listed.json()["data"] == [], "a deleted repository leaves the lists"


def test_a_private_repository_is_seen_by_its_owner_and_admins_only(stack: RunningStack) -> None:
    owner = fresh_owner()
    private = create(stack, owner)
    public = create(stack, owner, visibility="public")
    callers = {
        "anonymous": None,
        "another user": stack.auth("user", user_id=owner - 1),
        "owner": stack.auth("user", user_id=owner),
        "admin": stack.admin,
    }
    for who, headers in callers.items():
        sees_private = who in ("owner", "admin")
        got = call(stack, "GET", f"{PATH}/{private['id']}", headers)
        if sees_private:
            assert got.json() == {"success": True, "data": private}, who
        else:
            error = error_of(got, 404, "NOT_FOUND")
            assert str(private["id"]) in error["message"]
        assert call(stack, "GET", f"{PATH}/{public['id']}", headers).json()["data"] == public

        listed = call(stack, "GET", PATH, headers, params={"owner_id": owner}).json()
        expected = [private, public] if sees_private else [public]
        assert listed["data"] == expected, who
        assert listed["meta"]["total_count"] == len(expected), "hidden ones are not counted"
        only_private = call(
            stack, "GET", PATH, headers, params={"owner_id": owner, "visibility": "private"}
        ).json()
        assert only_private["data"] == ([private] if sees_private else []), who


def test_pages_filters_and_meta(stack: RunningStack) -> None:
    owner = fresh_owner()
    tag = uuid.uuid4().hex[:8]
    made = [
        create(stack, owner, name=f"paged-{tag}-{n}", description=f"Core {tag}", active=n != 3)
        for n in range(1, 4)
    ]
    pages = [
        call(
            stack, "GET", PATH, stack.admin, params={"owner_id": owner, "page": p, "page_size": 2}
        ).json()
        for p in (1, 2)
    ]
    assert [page["meta"] for page in pages] == [
        {"page": p, "page_size": 2, "total_pages": 2, "total_count": 3} for p in (1, 2)
    ]
    assert pages[0]["data"] + pages[1]["data"] == made, "by id, nothing missed or repeated"

    searched = call(
        stack,
        "GET",
        PATH,
        stack.admin,
        params={"search": f"CORE {tag.upper()}", "active": "true", "visibility": "private"},
    ).json()
    assert [repo["id"] for repo in searched["data"]] == [made[0]["id"], made[1]["id"]]
    assert searched["meta"] == {"page": 1, "page_size": 10, "total_pages": 1, "total_count": 2}


def test_only_admins_write(stack: RunningStack) -> None:
    owner = fresh_owner()
    repo = create(stack, owner)
    user = stack.auth("user", user_id=owner)
    body = {"name": fresh_name(), "owner_id": owner}
    for headers, status, code in ((None, 401, "UNAUTHENTICATED"), (user, 403, "FORBIDDEN")):
        error_of(call(stack, "POST", PATH, headers, json=body), status, code)
        error_of(
            call(stack, "PUT", f"{PATH}/{repo['id']}", headers, json={"visibility": "public"}),
            status,
            code,
        )
        error_of(call(stack, "DELETE", f"{PATH}/{repo['id']}", headers), status, code)
    error_of(call(stack, "POST", PATH, stack.auth("service"), json=body), 403, "FORBIDDEN")
    assert call(stack, "GET", f"{PATH}/{repo['id']}", user).json()["data"] == repo, "unchanged"


def test_conflicts_and_the_subgraphs_own_validation(stack: RunningStack) -> None:
    owner = fresh_owner()
    first, second = create(stack, owner), create(stack, owner)
    taken = call(stack, "POST", PATH, stack.admin, json={"name": first["name"], "owner_id": owner})
    assert error_of(taken, 409, "CONFLICT")["details"]["field"] == "name"
    renamed = call(
        stack, "PUT", f"{PATH}/{second['id']}", stack.admin, json={"name": first["name"]}
    )
    assert error_of(renamed, 409, "CONFLICT")["details"]["field"] == "name"
    elsewhere = create(stack, owner + 1, name=first["name"])
    assert elsewhere["name"] == first["name"], "names are unique per owner only"

    # Allowed by the REST schema, refused by the domain's rules.
    refused = call(
        stack,
        "POST",
        PATH,
        stack.admin,
        json={"name": "not a name!", "owner_id": owner, "url": "ftp://example.com/x"},
    )
    error = error_of(refused, 422, "VALIDATION_FAILED")
    assert {problem["field"] for problem in error["details"]["problems"]} == {"name", "url"}
    blank = call(stack, "PUT", f"{PATH}/{first['id']}", stack.admin, json={"name": "   "})
    assert [
        p["field"] for p in error_of(blank, 422, "VALIDATION_FAILED")["details"]["problems"]
    ] == ["name"]


def test_missing_ids_and_refused_requests(stack: RunningStack) -> None:
    for headers in (None, stack.admin):
        error_of(call(stack, "GET", f"{PATH}/{2**31 - 1}", headers), 404, "NOT_FOUND")
    error_of(
        call(stack, "PUT", f"{PATH}/{2**31 - 1}", stack.admin, json={"active": False}),
        404,
        "NOT_FOUND",
    )
    bad = call(stack, "POST", PATH, stack.admin, json={"name": "x", "owner_id": 1, "vis": "public"})
    problems = error_of(bad, 422, "VALIDATION_FAILED")["details"]["problems"]
    assert {"field": "vis", "in": "body", "message": "Extra inputs are not permitted"} in problems
    bad_page = call(stack, "GET", PATH, None, params={"page_size": 500})
    assert error_of(bad_page, 422, "VALIDATION_FAILED")["details"]["problems"][0] == {
        "field": "page_size",
        "in": "query",
        "message": "Input should be less than or equal to 100",
    }

"""Users over REST through the running gateway and users subgraph: create, read, list with
pagination meta, update, delete, in the original envelope, with the original status codes."""

from __future__ import annotations

import uuid

import httpx

from tests.integration.rest_support import USER_FIELDS, USERS, call, error_of, post_user
from tests.support.stack import RunningStack


def test_create_read_update_delete(stack: RunningStack) -> None:
    user = post_user(stack, "crud", age=30)
    assert isinstance(user["id"], int)
    assert (user["age"], user["active"], user["role"]) == (30, True, "user")
    assert set(user) == USER_FIELDS

    read = call(stack, "GET", f"{USERS}/{user['id']}", stack.admin)
    assert read.json() == {"success": True, "data": user}
    # The user may read themselves, not others.
    own = stack.auth("user", user_id=user["id"])
    assert call(stack, "GET", f"{USERS}/{user['id']}", own).status_code == 200
    other = post_user(stack, "other")
    refused = call(stack, "GET", f"{USERS}/{other['id']}", own)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "FORBIDDEN")

    changed = call(
        stack, "PUT", f"{USERS}/{user['id']}", stack.admin, json={"name": "Jane Doe", "age": 31}
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["data"]["name"], changed.json()["data"]["age"]) == ("Jane Doe", 31)
    assert changed.json()["data"]["email"] == user["email"]

    gone = call(stack, "DELETE", f"{USERS}/{user['id']}", stack.admin)
    assert gone.json() == {"success": True, "data": {"id": user["id"], "deleted": True}}
    missing = call(stack, "GET", f"{USERS}/{user['id']}", stack.admin)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "NOT_FOUND")
    again = call(stack, "DELETE", f"{USERS}/{user['id']}", stack.admin)
    assert again.status_code == 404


def test_list_pages_carry_meta(stack: RunningStack) -> None:
    tag = f"page{uuid.uuid4().hex[:6]}"
    made = [post_user(stack, tag) for _ in range(5)]
    first = call(stack, "GET", USERS, stack.admin, params={"search": tag, "page_size": 2})
    second = call(
        stack, "GET", USERS, stack.admin, params={"search": tag, "page": 3, "page_size": 2}
    )
    assert first.status_code == 200, first.json()
    assert first.json()["meta"] == {"page": 1, "page_size": 2, "total_pages": 3, "total_count": 5}
    assert second.json()["meta"] == {"page": 3, "page_size": 2, "total_pages": 3, "total_count": 5}
    listed = [u["id"] for u in first.json()["data"]] + [u["id"] for u in second.json()["data"]]
    assert len(listed) == 3 and set(listed) <= {u["id"] for u in made}
    inactive = call(
        stack, "GET", USERS, stack.admin, params={"search": tag, "active": "false"}
    ).json()
    assert inactive["data"] == [] and inactive["meta"]["total_count"] == 0


def test_refusals_in_the_envelope(stack: RunningStack) -> None:
    user = post_user(stack, "refusals")
    as_user = stack.auth("user", user_id=user["id"])
    taken = {"email": user["email"], "name": "Again"}
    cases = [
        (call(stack, "GET", USERS), 401, "UNAUTHENTICATED"),
        (
            call(stack, "GET", USERS, {"Authorization": "Bearer not-a-token"}),
            401,
            "UNAUTHENTICATED",
        ),
        (call(stack, "GET", USERS, as_user), 403, "FORBIDDEN"),
        (
            call(stack, "POST", USERS, as_user, json={"email": "a@b.co", "name": "x"}),
            403,
            "FORBIDDEN",
        ),
        (call(stack, "POST", USERS, stack.admin, json=taken), 409, "CONFLICT"),
        (
            call(stack, "POST", USERS, stack.admin, json={"name": "no email"}),
            422,
            "VALIDATION_FAILED",
        ),
        # Allowed by the REST schema, refused by the users subgraph's own rules.
        (
            call(stack, "POST", USERS, stack.admin, json={"email": "not-an-email", "name": "x"}),
            422,
            "VALIDATION_FAILED",
        ),
        (
            call(stack, "GET", USERS, stack.admin, params={"page_size": 1000}),
            422,
            "VALIDATION_FAILED",
        ),
        (call(stack, "GET", f"{USERS}/0", stack.admin), 422, "VALIDATION_FAILED"),
        (
            call(stack, "PUT", f"{USERS}/999999999", stack.admin, json={"name": "x"}),
            404,
            "NOT_FOUND",
        ),
        (call(stack, "PATCH", f"{USERS}/1", stack.admin, json={}), 405, "METHOD_NOT_ALLOWED"),
    ]
    for response, status, code in cases:
        error_of(response, status, code)
    assert cases[4][0].json()["error"]["details"]["field"] == "email"
    problems = cases[5][0].json()["error"]["details"]["problems"]
    assert {"field": "email", "in": "body", "message": "Field required"} in problems
    # A token that is not valid is refused by the gateway itself, with its challenge.
    assert cases[1][0].headers["www-authenticate"].startswith("Bearer")


def test_requests_are_counted_under_their_route_template(stack: RunningStack) -> None:
    user = post_user(stack, "metrics")
    call(stack, "GET", f"{USERS}/{user['id']}", stack.admin)
    text = httpx.get(f"{stack.gateway_url}/metrics", timeout=10).text
    assert (
        'gateway_requests_total{method="GET",path="/api/v1/users/{user_id}",status="200"}' in text
    )
    assert f'path="/api/v1/users/{user["id"]}"' not in text

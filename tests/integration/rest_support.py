"""What the REST integration tests share: requests to a running stack's gateway, the checks of
its envelope (a refusal, a creation), and new users with their tokens.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.support.stack import RunningStack

USERS = "/api/v1/users"
#: The fields of a user as the REST answers give them.
USER_FIELDS = {
    "id",
    "email",
    "username",
    "name",
    "age",
    "role",
    "active",
    "created_at",
    "updated_at",
}


def call(
    stack: RunningStack, method: str, path: str, headers: dict[str, str] | None = None, **kw: Any
) -> httpx.Response:
    """`method` `path` on the stack's gateway with `headers` (none: an anonymous caller); `kw`
    go to `httpx.request` (json, params, content)."""
    return httpx.request(method, f"{stack.gateway_url}{path}", headers=headers, timeout=30, **kw)


def error_of(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The error of a refusal in the envelope, after asserting its status, `success: false`, its
    code and a message."""
    body = response.json()
    assert (response.status_code, body["success"], body["error"]["code"]) == (
        status,
        False,
        code,
    ), (response.request.method, str(response.request.url), body)
    assert body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


def created_item(response: httpx.Response, collection: str | None = None) -> dict[str, Any]:
    """The data of a 201 answer, after asserting the status and, given the `collection` path,
    that `Location` is the item's path under it."""
    assert response.status_code == 201, response.json()
    data: dict[str, Any] = response.json()["data"]
    if collection is not None:
        assert response.headers["location"] == f"{collection}/{data['id']}"
    return data


def post_user(stack: RunningStack, tag: str = "rest", **fields: Any) -> dict[str, Any]:
    """A new user made by an admin with POST /api/v1/users (an email and a name of `tag`, and
    `fields`), as the answer gave it."""
    body = {"email": f"{tag}.{uuid.uuid4().hex[:10]}@example.com", "name": f"User {tag}", **fields}
    return created_item(call(stack, "POST", USERS, stack.admin, json=body), USERS)


def new_user(stack: RunningStack, tag: str = "rest", **fields: Any) -> tuple[int, dict[str, str]]:
    """A new user (see `post_user`): their id and the headers of a token of theirs."""
    user_id: int = post_user(stack, tag, **fields)["id"]
    return user_id, stack.auth("user", user_id=user_id)

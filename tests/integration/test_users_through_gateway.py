"""Users through the gateway: pagination, filters, validation, conflicts, soft delete."""

from __future__ import annotations

import uuid
from typing import Any

from tests.integration.conftest import RunningStack

CREATE = """
mutation($input: CreateUserInput!) { createUser(input: $input) { id email name age active } }
"""
UPDATE = """
mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id name age } }
"""


def unique_email(prefix: str = "it") -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}@example.com"


def create_user(stack: RunningStack, **fields: Any) -> dict[str, Any]:
    payload = {"email": unique_email(), "name": "Grace Hopper", "age": 45, **fields}
    return stack.data(CREATE, {"input": payload})["createUser"]


def only_error(stack: RunningStack, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = stack.graphql(query, variables)
    payload = response.json()
    assert response.status_code == 200, payload
    assert len(payload.get("errors", [])) == 1, payload
    return payload["errors"][0]


def test_create_then_fetch_and_normalised_email(stack: RunningStack) -> None:
    email = unique_email("Mixed.Case")
    user = create_user(stack, email=f"  {email.upper()}  ")
    assert user["email"] == email.lower()
    assert user["active"] is True
    fetched = stack.data("query($id: ID!) { user(id: $id) { id email } }", {"id": user["id"]})
    assert fetched["user"] == {"id": user["id"], "email": email.lower()}


def test_validation_failures_name_the_field(stack: RunningStack) -> None:
    error = only_error(stack, CREATE, {"input": {"email": "not-an-email", "name": "X", "age": 30}})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "email"
    assert error["path"] == ["createUser"]

    error = only_error(stack, CREATE, {"input": {"email": unique_email(), "name": "X", "age": 151}})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "age"


def test_duplicate_email_is_a_conflict(stack: RunningStack) -> None:
    user = create_user(stack)
    error = only_error(stack, CREATE, {"input": {"email": user["email"], "name": "Twin", "age": 1}})
    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["field"] == "email"


def test_partial_update_and_not_found(stack: RunningStack) -> None:
    user = create_user(stack, age=20)
    updated = stack.data(UPDATE, {"id": user["id"], "input": {"age": 21}})["updateUser"]
    assert updated == {"id": user["id"], "name": user["name"], "age": 21}
    error = only_error(stack, UPDATE, {"id": "999999999", "input": {"age": 3}})
    assert error["extensions"]["code"] == "NOT_FOUND"


def test_soft_delete_hides_the_user_everywhere(stack: RunningStack) -> None:
    user = create_user(stack, name=f"Doomed {uuid.uuid4().hex[:6]}")
    deleted = stack.data("mutation($id: ID!) { deleteUser(id: $id) }", {"id": user["id"]})
    assert deleted == {"deleteUser": True}
    assert stack.data("query($id: ID!) { user(id: $id) { id } }", {"id": user["id"]}) == {
        "user": None
    }
    listed = stack.data(
        "query($s: String) { users(search: $s) { items { id } pageInfo { totalCount } } }",
        {"s": user["name"]},
    )
    assert listed["users"] == {"items": [], "pageInfo": {"totalCount": 0}}
    error = only_error(stack, "mutation($id: ID!) { deleteUser(id: $id) }", {"id": user["id"]})
    assert error["extensions"]["code"] == "NOT_FOUND"
    # Uniqueness holds among live users only, so the address of a deleted user can be used again.
    again = create_user(stack, email=user["email"])
    assert again["email"] == user["email"] and again["id"] != user["id"]


def test_pagination_and_filters(stack: RunningStack) -> None:
    query = """
    query($page: Int!, $size: Int!, $active: Boolean) {
      users(page: $page, pageSize: $size, active: $active) {
        items { id active } pageInfo { page pageSize totalPages totalCount } } }
    """
    first = stack.data(query, {"page": 1, "size": 4})["users"]
    second = stack.data(query, {"page": 2, "size": 4})["users"]
    assert first["pageInfo"]["totalCount"] >= 12
    assert len(first["items"]) == 4 and len(second["items"]) == 4
    assert not {u["id"] for u in first["items"]} & {u["id"] for u in second["items"]}

    inactive = stack.data(query, {"page": 1, "size": 100, "active": False})["users"]
    assert inactive["items"] and all(u["active"] is False for u in inactive["items"])

    error = only_error(stack, query, {"page": 1, "size": 101})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "pageSize"
    error = only_error(stack, query, {"page": 0, "size": 10})
    assert error["extensions"]["field"] == "page"

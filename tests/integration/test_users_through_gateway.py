"""Users through the gateway: pagination, filters, validation, conflicts, soft delete; writes by
admins only, the list for admins and services, a user by id for themselves.

`create_user` and `only_error` are shared with other integration tests.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from tests.support.stack import RunningStack

CREATE = """
mutation($input: CreateUserInput!) {
  createUser(input: $input) { id email username name age active role } }
"""
UPDATE = """
mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id name age } }
"""
DELETE = "mutation($id: ID!) { deleteUser(id: $id) }"
BY_ID = "query($id: ID!) { user(id: $id) { id email } }"


def unique_email(prefix: str = "it") -> str:
    return f"{prefix}.{uuid.uuid4().hex[:10]}@example.com"


def create_user(stack: RunningStack, **fields: Any) -> dict[str, Any]:
    """A new user, created by an admin (whoever `stack` speaks for)."""
    payload = {"email": unique_email(), "name": "Grace Hopper", "age": 45, **fields}
    return stack.data(CREATE, {"input": payload}, headers=stack.admin)["createUser"]


def only_error(stack: RunningStack, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = stack.graphql(query, variables)
    payload = response.json()
    assert response.status_code == 200, payload
    assert len(payload.get("errors", [])) == 1, payload
    return payload["errors"][0]


def as_caller(stack: RunningStack, headers: dict[str, str]) -> RunningStack:
    """The stack seen by a client sending `headers` ({} for an anonymous one)."""
    return replace(stack, default_headers=headers)


def test_create_then_fetch_and_normalised_email(stack: RunningStack) -> None:
    admin = stack.as_admin()
    email = unique_email("Mixed.Case")
    user = create_user(admin, email=f"  {email.upper()}  ")
    assert user["email"] == email.lower()
    assert user["username"] == email.lower().split("@")[0]
    assert (user["active"], user["role"]) == (True, "USER")
    fetched = admin.data(BY_ID, {"id": user["id"]})
    assert fetched["user"] == {"id": user["id"], "email": email.lower()}


def test_validation_failures_name_the_field(stack: RunningStack) -> None:
    admin = stack.as_admin()
    error = only_error(admin, CREATE, {"input": {"email": "not-an-email", "name": "X", "age": 30}})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "email"
    assert error["path"] == ["createUser"]

    error = only_error(admin, CREATE, {"input": {"email": unique_email(), "name": "X", "age": 151}})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "age"


def test_duplicate_email_or_username_is_a_conflict_naming_it(stack: RunningStack) -> None:
    admin = stack.as_admin()
    user = create_user(admin)
    error = only_error(admin, CREATE, {"input": {"email": user["email"], "name": "Twin", "age": 1}})
    assert error["extensions"]["code"] == "CONFLICT"
    assert error["extensions"]["field"] == "email"
    assert user["email"] not in error["message"]  # the field says which; the value is not repeated

    taken = {"email": unique_email(), "name": "Twin", "username": user["username"].upper()}
    error = only_error(admin, CREATE, {"input": taken})
    assert (error["extensions"]["code"], error["extensions"]["field"]) == ("CONFLICT", "username")
    assert user["username"].upper() not in error["message"]


def test_partial_update_and_not_found(stack: RunningStack) -> None:
    admin = stack.as_admin()
    user = create_user(admin, age=20)
    updated = admin.data(UPDATE, {"id": user["id"], "input": {"age": 21}})["updateUser"]
    assert updated == {"id": user["id"], "name": user["name"], "age": 21}
    error = only_error(admin, UPDATE, {"id": "999999999", "input": {"age": 3}})
    assert error["extensions"]["code"] == "NOT_FOUND"


def test_soft_delete_hides_the_user_everywhere(stack: RunningStack) -> None:
    admin = stack.as_admin()
    user = create_user(admin, name=f"Doomed {uuid.uuid4().hex[:6]}")
    assert admin.data(DELETE, {"id": user["id"]}) == {"deleteUser": True}
    assert admin.data(BY_ID, {"id": user["id"]}) == {"user": None}
    listed = admin.data(
        "query($s: String) { users(search: $s) { items { id } pageInfo { totalCount } } }",
        {"s": user["name"]},
    )
    assert listed["users"] == {"items": [], "pageInfo": {"totalCount": 0}}
    error = only_error(admin, DELETE, {"id": user["id"]})
    assert error["extensions"]["code"] == "NOT_FOUND"
    # Uniqueness holds among live users only, so the address of a deleted user can be used again.
    again = create_user(admin, email=user["email"])
    assert again["email"] == user["email"] and again["id"] != user["id"]


def test_pagination_and_filters(stack: RunningStack) -> None:
    admin = stack.as_admin()
    query = """
    query($page: Int!, $size: Int!, $active: Boolean) {
      users(page: $page, pageSize: $size, active: $active) {
        items { id active } pageInfo { page pageSize totalPages totalCount } } }
    """
    first = admin.data(query, {"page": 1, "size": 4})["users"]
    second = admin.data(query, {"page": 2, "size": 4})["users"]
    assert first["pageInfo"]["totalCount"] >= 12
    assert len(first["items"]) == 4 and len(second["items"]) == 4
    assert not {u["id"] for u in first["items"]} & {u["id"] for u in second["items"]}

    inactive = admin.data(query, {"page": 1, "size": 100, "active": False})["users"]
    assert inactive["items"] and all(u["active"] is False for u in inactive["items"])

    error = only_error(admin, query, {"page": 1, "size": 101})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == "pageSize"
    error = only_error(admin, query, {"page": 0, "size": 10})
    assert error["extensions"]["field"] == "page"


def test_user_writes_are_for_admins_only(stack: RunningStack) -> None:
    target = create_user(stack)
    user = as_caller(stack, stack.auth("user", user_id=int(target["id"])))
    service = as_caller(stack, stack.auth("service"))
    anonymous = as_caller(stack, {})
    writes = [
        (CREATE, {"input": {"email": unique_email(), "name": "Sneaky"}}),
        (UPDATE, {"id": target["id"], "input": {"name": "Renamed"}}),
        (DELETE, {"id": target["id"]}),
    ]

    for query, variables in writes:
        assert only_error(anonymous, query, variables)["extensions"]["code"] == "UNAUTHENTICATED"
        for caller in (user, service):
            error = only_error(caller, query, variables)
            assert error["extensions"]["code"] == "FORBIDDEN"
            assert "admin" in error["message"]
    assert stack.as_admin().data(BY_ID, {"id": target["id"]})["user"]["id"] == target["id"]


def test_who_may_read_users(stack: RunningStack) -> None:
    ada, grace = create_user(stack), create_user(stack)
    as_ada = as_caller(stack, stack.auth("user", user_id=int(ada["id"])))
    users = "{ users(pageSize: 1) { pageInfo { totalCount } } }"

    assert as_ada.data(BY_ID, {"id": ada["id"]})["user"]["id"] == ada["id"]
    assert only_error(as_ada, BY_ID, {"id": grace["id"]})["extensions"]["code"] == "FORBIDDEN"
    assert only_error(as_ada, users, {})["extensions"]["code"] == "FORBIDDEN"
    anonymous = as_caller(stack, {})
    assert only_error(anonymous, BY_ID, {"id": ada["id"]})["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    assert only_error(anonymous, users, {})["extensions"]["code"] == "UNAUTHENTICATED"
    service = as_caller(stack, stack.auth("service"))
    assert service.data(BY_ID, {"id": grace["id"]})["user"]["id"] == grace["id"]
    assert service.data(users)["users"]["pageInfo"]["totalCount"] >= 2

"""Issue 12, finding 4: anonymous callers read every user's email and role through
`{ repositories { items { owner { email role } } } }`. A User's personal fields are for the
user, admins and services only, whichever path reaches the User: every field of the API schema
that returns a User is listed here (a new one fails the first test until it is covered), and
each is walked as an anonymous caller and as another user."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import get_named_type

from tests.security.arguments import api_schema, errors_of
from tests.security.shop import new_account
from tests.support.stack import RunningStack

SCHEMA = api_schema()
PERSONAL = ("email", "age", "active", "role", "createdAt", "updatedAt")
USER = "__typename id username name " + " ".join(PERSONAL)

#: Each field that returns a User, and an operation reaching it (`$other` is a user id that is
#: not the caller's, `$mine` the caller's own).
PATHS: dict[str, str] = {
    "Repository.owner": f"{{ repositories(pageSize: 100) {{ items {{ owner {{ {USER} "
    f"repositories {{ owner {{ {USER} }} }} }} }} }} }}",
    "Query.user": f"query($other: ID!) {{ user(id: $other) {{ {USER} }} }}",
    "Query.me": f"{{ me {{ {USER} }} }}",
    "UserPage.items": f"{{ users {{ items {{ {USER} }} }} }}",
    "Order.user": f"{{ orders(pageSize: 100) {{ items {{ user {{ {USER} }} }} }} }}",
    "Payment.user": f"{{ payments(pageSize: 100) {{ items {{ user {{ {USER} }} }} }} }}",
    "Notification.user": f"{{ myNotifications {{ items {{ user {{ {USER} }} }} }} }}",
    "NotificationPreferences.user": f"{{ myNotificationPreferences {{ user {{ {USER} }} }} }}",
    "AuditLog.actor": f"{{ auditLogs(pageSize: 100) {{ items {{ actor {{ {USER} }} }} }} }}",
    # A sign-in answer is the caller's own; someone else's refresh token is all that could
    # reach another user's through it.
    "AuthPayload.user": f"mutation($other: String!) {{ refreshToken(refreshToken: $other) "
    f"{{ user {{ {USER} }} }} }}",
    "Mutation.createUser": f'mutation {{ createUser(input: {{email: "x@example.com", '
    f'name: "X"}}) {{ {USER} }} }}',
    "Mutation.updateUser": f'mutation($other: ID!) {{ updateUser(id: $other, input: {{name: "X"}}) '
    f"{{ {USER} }} }}",
}


def fields_returning_user() -> set[str]:
    found = set()
    for type_ in SCHEMA.type_map.values():
        if type_.name.startswith("__"):
            continue
        for name, field in getattr(type_, "fields", {}).items():
            if hasattr(field, "args") and get_named_type(field.type).name == "User":
                found.add(f"{type_.name}.{name}")
    return found


def users_in(value: Any) -> list[dict[str, Any]]:
    """Every User object in an answer's data."""
    if isinstance(value, list):
        return [user for item in value for user in users_in(item)]
    if isinstance(value, dict):
        found = [value] if value.get("__typename") == "User" else []
        return found + [user for item in value.values() for user in users_in(item)]
    return []


def test_every_field_returning_a_user_is_covered() -> None:
    assert fields_returning_user() == set(PATHS)


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("caller", ["anonymous", "another user"])
def test_no_path_shows_someone_elses_personal_fields(
    target: RunningStack, path: str, caller: str
) -> None:
    account = new_account(target) if caller == "another user" else None
    own_id, headers = (account.id, account.headers) if account else (None, {})
    someone_else = "1" if own_id != "1" else "2"
    answer = target.graphql(PATHS[path], {"other": someone_else}, headers=headers)

    assert answer.status_code < 500, answer.text
    payload = answer.json()
    others = [user for user in users_in(payload.get("data")) if user["id"] != own_id]
    for user in others:
        leaked = {field: user[field] for field in PERSONAL if user.get(field) is not None}
        assert leaked == {}, (path, caller, user)
    hidden = [e for e in errors_of(payload) if e["extensions"]["code"] == "FORBIDDEN"]
    if others:  # each hidden value says why, at its own path
        assert {tuple(e["path"])[-1] for e in hidden if len(e["path"]) > 1} >= set(PERSONAL)
    assert "INTERNAL" not in {e["extensions"]["code"] for e in errors_of(payload)}


def test_a_public_repositorys_owner_shows_public_fields_to_anyone(target: RunningStack) -> None:
    payload = target.graphql(f"{{ repositories {{ items {{ owner {{ {USER} }} }} }} }}").json()

    owners = [item["owner"] for item in payload["data"]["repositories"]["items"] if item["owner"]]
    assert owners and all(owner["username"] and owner["name"] for owner in owners)
    assert all(owner["email"] is None and owner["role"] is None for owner in owners)
    first = next(e for e in errors_of(payload) if e["path"][-1] == "email")
    assert first["path"] == ["repositories", "items", 0, "owner", "email"]
    assert first["extensions"] == {"code": "FORBIDDEN", "field": "email", "serviceName": "users"}


def test_the_user_admins_and_services_see_personal_fields(target: RunningStack) -> None:
    account = new_account(target)
    mine = target.data(f"{{ me {{ {USER} }} }}", headers=account.headers)["me"]
    assert mine["id"] == account.id and mine["email"].endswith("@example.com")
    assert mine["role"] == "USER" and mine["active"] is True

    for role in ("admin", "service"):
        owners = target.data(
            f"{{ repositories {{ items {{ owner {{ {USER} }} }} }} }}", headers=target.auth(role)
        )["repositories"]["items"]
        # (an owner is null when the repository names a user that does not exist)
        assert all(item["owner"]["email"] for item in owners if item["owner"]), role


def test_an_order_owner_sees_their_own_personal_fields_through_the_order(
    target: RunningStack,
) -> None:
    admin_view = target.data("{ orders(pageSize: 100) { items { userId } } }", headers=target.admin)
    owner = admin_view["orders"]["items"][0]["userId"]
    orders = target.data(
        f"{{ myOrders {{ items {{ user {{ {USER} }} }} }} }}",
        headers=target.auth(user_id=int(owner)),
    )["myOrders"]["items"]
    assert orders and all(order["user"]["email"] for order in orders)


def test_the_production_gateway_says_why_a_personal_field_is_null(
    production_gateway: RunningStack,
) -> None:
    payload = production_gateway.graphql("{ repositories { items { owner { id email } } } }").json()
    first = next(e for e in errors_of(payload) if e["path"][-1] == "email")
    assert first["extensions"] == {"code": "FORBIDDEN", "field": "email", "serviceName": "users"}
    assert "personal" in first["message"]

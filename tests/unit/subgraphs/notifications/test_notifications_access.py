"""Who reads and marks which notification: a user their own, admins and services every one."""

from __future__ import annotations

import pytest

from subgraphs.kit.identity import Identity

ADMIN = Identity("admin", roles=frozenset({"admin"}))
SERVICE = Identity("order-service", roles=frozenset({"service"}))

ALL = "query($u: ID) { notifications(userId: $u) { items { id } pageInfo { totalCount } } }"
MINE = "{ myNotifications { items { id } } }"
PREFS = "{ myNotificationPreferences { user { id } } }"
SET_PREFS = """
mutation { updateNotificationPreferences(input: [{eventType: "order.created", channels: []}]) {
  user { id } } }
"""
MARK = "mutation($id: ID!) { markNotificationRead(id: $id) { id read } }"
OF_USER = """
query($r: [_Any!]!) { _entities(representations: $r) {
  ... on User { id notifications { items { id } } } } }
"""
ENTITY = """
query($r: [_Any!]!) { _entities(representations: $r) { ... on Notification { id } } }
"""


def error_of(result) -> dict:
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


@pytest.fixture
async def delivered(deliver, order_event) -> None:
    """Users 7 and 8 have one order each: notifications 1, 2 are 7's, 3, 4 are 8's."""
    await deliver(order_event("order.created", user_id=7), order_event("order.created", user_id=8))


def user_entity(user_id: str) -> dict:
    return {"r": [{"__typename": "User", "id": user_id}]}


async def test_every_users_notifications_are_for_admins_and_services(execute, delivered) -> None:
    anonymous = error_of(await execute(ALL))
    as_user = error_of(await execute(ALL, {"u": "7"}, user_id=7))

    assert anonymous["extensions"] == {"code": "UNAUTHENTICATED"}
    assert as_user["extensions"] == {"code": "FORBIDDEN"}
    assert "needs the role admin or service" in as_user["message"]
    assert "myNotifications" in as_user["message"], "it says where the caller's own are"
    for identity in (ADMIN, SERVICE):
        listed = await execute(ALL, identity=identity)
        assert listed.data["notifications"]["pageInfo"] == {"totalCount": 4}


@pytest.mark.parametrize("operation", [MINE, PREFS, SET_PREFS], ids=["mine", "prefs", "set"])
async def test_my_fields_refuse_a_token_without_a_user(execute, operation) -> None:
    anonymous = error_of(await execute(operation))
    as_service = error_of(await execute(operation, identity=SERVICE))

    assert anonymous["extensions"] == {"code": "UNAUTHENTICATED"}
    assert as_service["extensions"] == {"code": "FORBIDDEN"}
    assert "this token has no user" in as_service["message"]


async def test_a_users_notifications_are_for_them_admins_and_services(execute, delivered) -> None:
    own = await execute(OF_USER, user_entity("7"), user_id=7)
    other = await execute(OF_USER, user_entity("7"), user_id=8)
    anonymous = await execute(OF_USER, user_entity("7"))
    malformed = await execute(OF_USER, user_entity("x"), user_id=8)

    assert own.data["_entities"] == [
        {"id": "7", "notifications": {"items": [{"id": "2"}, {"id": "1"}]}}
    ]
    assert error_of(other)["extensions"] == {"code": "FORBIDDEN"}
    assert "user 7" in error_of(other)["message"]
    assert error_of(anonymous)["extensions"] == {"code": "UNAUTHENTICATED"}
    assert error_of(malformed)["extensions"] == {"code": "FORBIDDEN"}
    for identity in (ADMIN, SERVICE):
        seen = await execute(OF_USER, user_entity("8"), identity=identity)
        assert seen.data["_entities"][0]["notifications"]["items"] == [{"id": "4"}, {"id": "3"}]


async def test_a_notification_entity_shows_to_its_user_admins_and_services_only(
    execute, delivered
) -> None:
    def representations() -> dict:  # fresh each time: execution consumes `__typename`
        return {"r": [{"__typename": "Notification", "id": n} for n in ("1", "3")]}

    seen = {
        name: (await execute(ENTITY, representations(), **caller)).data["_entities"]
        for name, caller in {
            "anonymous": {},
            "user 7": {"user_id": 7},
            "user 8": {"user_id": 8},
            "admin": {"identity": ADMIN},
            "service": {"identity": SERVICE},
        }.items()
    }

    assert seen == {
        "anonymous": [None, None],
        "user 7": [{"id": "1"}, None],
        "user 8": [None, {"id": "3"}],
        "admin": [{"id": "1"}, {"id": "3"}],
        "service": [{"id": "1"}, {"id": "3"}],
    }


async def test_marking_read_is_for_the_owner(execute, delivered) -> None:
    anonymous = error_of(await execute(MARK, {"id": "1"}))
    others = error_of(await execute(MARK, {"id": "1"}, user_id=8))
    missing = error_of(await execute(MARK, {"id": "99"}, user_id=8))
    as_service = error_of(await execute(MARK, {"id": "1"}, identity=SERVICE))

    assert anonymous["extensions"] == {"code": "UNAUTHENTICATED"}
    assert others == missing | {"message": others["message"]}, "another's looks missing"
    assert others["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert as_service["extensions"] == {"code": "FORBIDDEN"}
    unread = await execute("{ myNotifications(unreadOnly: true) { items { id } } }", user_id=7)
    assert unread.data["myNotifications"]["items"] == [{"id": "2"}, {"id": "1"}], "still unread"

    assert (await execute(MARK, {"id": "1"}, user_id=7)).data == {
        "markNotificationRead": {"id": "1", "read": True}
    }
    assert (await execute(MARK, {"id": "3"}, identity=ADMIN)).data == {
        "markNotificationRead": {"id": "3", "read": True}
    }

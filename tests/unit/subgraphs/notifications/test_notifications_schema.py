"""The notifications schema run in-process: identity, lists, marking read, preferences, entities."""

from __future__ import annotations

from subgraphs.kit.identity import Identity
from subgraphs.kit.schema import print_sdl
from subgraphs.notifications.schema import schema

ADMIN = Identity("admin", roles=frozenset({"admin"}))

PAGE = "items { id channel title read eventType readAt user { id } } pageInfo { totalCount }"
MY = "query($unread: Boolean!) { myNotifications(unreadOnly: $unread) { " + PAGE + " } }"
MARK = "mutation($id: ID!) { markNotificationRead(id: $id) { id read readAt } }"
PREFS = "{ myNotificationPreferences { user { id } eventTypes { eventType channels isDefault } } }"
UPDATE = """
mutation($input: [EventTypeChannelsInput!]!) {
  updateNotificationPreferences(input: $input) { eventTypes { eventType channels isDefault } } }
"""
USER_PAGES = (
    "query($r: [_Any!]!, $unread: Boolean!) { _entities(representations: $r) { ... on User { "
    "id notifications(unreadOnly: $unread, pageSize: 3) { "
    + PAGE.replace(" user { id }", "")
    + " } } } }"
)


def error_of(result) -> dict:
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


async def test_my_fields_need_a_signed_in_user(execute) -> None:
    for operation, variables in (
        (MY, {"unread": False}),
        (PREFS, None),
        (UPDATE, {"input": [{"eventType": "order.created", "channels": []}]}),
    ):
        error = error_of(await execute(operation, variables))
        assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_my_notifications_lists_the_callers_newest_first(
    execute, deliver, order_event, clock
) -> None:
    await deliver(order_event("order.created", order_id=1))
    clock.advance(minutes=1)
    await deliver(order_event("order.created", order_id=2), order_event("order.created", user_id=9))

    mine = await execute(MY, {"unread": False}, user_id=7)

    assert mine.errors is None
    page = mine.data["myNotifications"]
    assert page["pageInfo"] == {"totalCount": 4}
    assert [item["title"] for item in page["items"]] == [
        "Order #2 placed",
        "Order #2 placed",
        "Order #1 placed",
        "Order #1 placed",
    ]
    assert {item["user"]["id"] for item in page["items"]} == {"7"}
    assert page["items"][0]["read"] is False and page["items"][0]["readAt"] is None
    inbox = await execute(
        "{ myNotifications(channel: IN_APP) { items { channel title } } }", user_id=7
    )
    assert inbox.data["myNotifications"]["items"] == [
        {"channel": "IN_APP", "title": "Order #2 placed"},
        {"channel": "IN_APP", "title": "Order #1 placed"},
    ]


async def test_mark_read_once_and_unread_filter(execute, deliver, order_event, clock) -> None:
    await deliver(order_event("order.created"))

    first = await execute(MARK, {"id": "1"}, user_id=7)
    clock.advance(minutes=5)
    again = await execute(MARK, {"id": "1"}, user_id=7)
    unread = await execute(MY, {"unread": True}, user_id=7)

    assert first.data["markNotificationRead"]["read"] is True
    assert again.data == first.data, "a second call keeps the first time"
    assert [item["id"] for item in unread.data["myNotifications"]["items"]] == ["2"]


async def test_mark_read_refuses_missing_and_other_users_notifications(
    execute, deliver, order_event
) -> None:
    await deliver(order_event("order.created", user_id=7))

    for variables, user_id in (({"id": "99"}, 7), ({"id": "x"}, 7), ({"id": "1"}, 8)):
        error = error_of(await execute(MARK, variables, user_id=user_id))
        assert error["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert (await execute(MARK, {"id": "1"}, user_id=7)).data["markNotificationRead"]["read"]


async def test_admin_listing_filters_by_user_unread_and_channel(
    execute, deliver, order_event
) -> None:
    await deliver(order_event("order.created", user_id=7), order_event("order.created", user_id=8))
    await execute(MARK, {"id": "1"}, user_id=7)

    query = """query($u: ID, $c: NotificationChannel, $unread: Boolean!) {
      notifications(userId: $u, channel: $c, unreadOnly: $unread) { items { id } } }"""
    results = {
        name: (await execute(query, variables, identity=ADMIN)).data["notifications"]["items"]
        for name, variables in {
            "all": {"unread": False},
            "user 8": {"u": "8", "unread": False},
            "email": {"c": "EMAIL", "unread": False},
            "unread email": {"c": "EMAIL", "unread": True},
            "malformed user": {"u": "me", "unread": False},
        }.items()
    }

    assert results == {
        "all": [{"id": "4"}, {"id": "3"}, {"id": "2"}, {"id": "1"}],
        "user 8": [{"id": "4"}, {"id": "3"}],
        "email": [{"id": "3"}, {"id": "1"}],
        "unread email": [{"id": "3"}],
        "malformed user": [],
    }
    bad = error_of(await execute("{ notifications(page: 0) { items { id } } }", identity=ADMIN))
    assert bad["extensions"]["field"] == "page"


async def test_preferences_default_then_update(execute) -> None:
    before = await execute(PREFS, user_id=7)
    updated = await execute(
        UPDATE,
        {
            "input": [
                {"eventType": "payment.failed", "channels": ["SMS", "EMAIL", "SMS"]},
                {"eventType": " order.created ", "channels": []},
            ]
        },
        user_id=7,
    )
    after = await execute(PREFS, user_id=7)
    other = await execute(PREFS, user_id=8)

    defaults = before.data["myNotificationPreferences"]
    assert defaults["user"] == {"id": "7"}
    assert [entry["eventType"] for entry in defaults["eventTypes"]] == [
        "order.created",
        "order.status_changed",
        "payment.succeeded",
        "payment.failed",
        "payment.refunded",
    ]
    assert {(tuple(e["channels"]), e["isDefault"]) for e in defaults["eventTypes"]} == {
        (("EMAIL", "IN_APP"), True)
    }
    assert updated.errors is None
    changed = {e["eventType"]: e for e in after.data["myNotificationPreferences"]["eventTypes"]}
    assert changed["payment.failed"] == {
        "eventType": "payment.failed",
        "channels": ["EMAIL", "SMS"],
        "isDefault": False,
    }
    assert changed["order.created"]["channels"] == []
    assert changed["payment.succeeded"]["isDefault"] is True
    assert updated.data["updateNotificationPreferences"]["eventTypes"] == list(changed.values())
    assert all(e["isDefault"] for e in other.data["myNotificationPreferences"]["eventTypes"])


async def test_preferences_validate_event_types(execute) -> None:
    result = await execute(
        UPDATE,
        {
            "input": [
                {"eventType": "order.created", "channels": ["PUSH"]},
                {"eventType": "user.created", "channels": ["PUSH"]},
                {"eventType": "order.created", "channels": []},
            ]
        },
        user_id=7,
    )
    empty = await execute(UPDATE, {"input": []}, user_id=7)
    bad_channel = await execute(
        UPDATE, {"input": [{"eventType": "order.created", "channels": ["FAX"]}]}, user_id=7
    )

    error = error_of(result)
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert [p["field"] for p in error["extensions"]["problems"]] == [
        "input[1].eventType",
        "input[2].eventType",
    ]
    assert "payment.refunded" in error["message"]
    assert error_of(empty)["extensions"]["field"] == "input"
    assert error_of(bad_channel)["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    unchanged = await execute(PREFS, user_id=7)
    assert all(e["isDefault"] for e in unchanged.data["myNotificationPreferences"]["eventTypes"])


async def test_user_pages_for_many_users_cost_two_queries(
    execute, deliver, order_event, engine, sql_statements
) -> None:
    for user_id in (1, 2, 1, 1, 3):
        await deliver(order_event("order.created", user_id=user_id))
    await execute(MARK, {"id": "1"}, user_id=1)
    statements = sql_statements(engine)

    result = await execute(
        USER_PAGES,
        {
            "r": [{"__typename": "User", "id": str(n)} for n in (1, 2, 3, 4)]
            + [{"__typename": "User", "id": "x"}],
            "unread": True,
        },
        identity=ADMIN,
    )

    assert result.errors is None
    pages = {entity["id"]: entity["notifications"] for entity in result.data["_entities"]}
    assert [len(pages[n]["items"]) for n in ("1", "2", "3", "4", "x")] == [3, 2, 2, 0, 0]
    assert [pages[n]["pageInfo"]["totalCount"] for n in ("1", "2", "3", "4", "x")] == [
        5,
        2,
        2,
        0,
        0,
    ]
    assert [item["id"] for item in pages["1"]["items"]] == ["8", "7", "6"]
    assert statements.count == 2, statements.statements


async def test_notification_entities_resolve_with_one_query(
    execute, deliver, order_event, engine, sql_statements
) -> None:
    await deliver(order_event("order.created"), order_event("payment.succeeded"))
    statements = sql_statements(engine)

    result = await execute(
        "query($r: [_Any!]!) { _entities(representations: $r) { "
        "... on Notification { id title user { id } } } }",
        {"r": [{"__typename": "Notification", "id": n} for n in ("4", "1", "9", "0")]},
        identity=ADMIN,
    )

    assert result.data["_entities"] == [
        {"id": "4", "title": "Payment received for order #12", "user": {"id": "7"}},
        {"id": "1", "title": "Order #12 placed", "user": {"id": "7"}},
        None,
        None,
    ]
    assert statements.count == 1


def test_sdl_has_the_entities_the_channels_and_the_user_stub() -> None:
    sdl = print_sdl(schema)

    assert 'type Notification @key(fields: "id")' in sdl
    assert 'type User @key(fields: "id")' in sdl
    assert "type PageInfo @shareable" in sdl
    assert "enum NotificationChannel {\n  EMAIL\n  SMS\n  PUSH\n  IN_APP\n}" in sdl
    assert (
        "notifications(unreadOnly: Boolean! = false, page: Int! = 1, pageSize: Int! = 20, "
        "channel: NotificationChannel = null): NotificationPage!"
    ) in sdl

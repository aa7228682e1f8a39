"""Who may do what with orders: the rules in the service, then as clients meet them in the schema.

Users place, read and cancel their own orders; admins and services read and act on every order;
status changes are for admins and services, deletion for admins; anonymous callers get
UNAUTHENTICATED, and someone else's order looks exactly like a missing one.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from common.errors import Forbidden, NotFound, Unauthenticated, ValidationFailed
from common.events import Event
from subgraphs.kit.identity import Identity
from subgraphs.kit.schema import print_sdl
from subgraphs.orders.models import OrderStatus, outbox
from subgraphs.orders.schema import schema

S = OrderStatus
SINGLE = {"product_id": "PROD-1", "quantity": 1}
#: A client-credentials token: a subject and a role, but no user and no admin or service role.
NOBODY = Identity(subject="reporting-client", roles=frozenset({"reporting"}))


@pytest.fixture
def emitted(session):
    async def read() -> list[Event]:
        bodies = await session.scalars(select(outbox.c.body).order_by(outbox.c.id))
        return [Event.from_json(body) for body in bodies]

    return read


def error_of(result) -> dict:
    """The only error of a result, as the HTTP response would carry it."""
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


# --- placing orders -------------------------------------------------------------------------


async def test_a_user_orders_for_themselves_without_naming_a_user(
    service_as, user, emitted
) -> None:
    row = await service_as(user(7)).create(**SINGLE)
    same = await service_as(user(7)).create(user_id="7", **SINGLE)

    assert (row.user_id, same.user_id) == (7, 7)
    created = [e for e in await emitted() if e.type == "order.created"]
    assert [(e.actor, e.payload["user_id"]) for e in created] == [("user:7", "7")] * 2


async def test_a_user_cannot_order_for_another_user(service_as, user, emitted) -> None:
    with pytest.raises(Forbidden) as caught:
        await service_as(user(7)).create(user_id="8", **SINGLE)

    assert caught.value.field == "userId"
    assert "admin or service" in caught.value.message
    assert await emitted() == []


async def test_a_malformed_user_id_from_a_user_is_a_validation_error(service_as, user) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await service_as(user(7)).create(user_id="me", **SINGLE)

    assert caught.value.field == "userId"


async def test_admins_and_services_order_for_anyone(
    service_as, admin, internal_service, emitted
) -> None:
    by_admin = await service_as(admin).create(user_id="3", **SINGLE)
    for_the_admin = await service_as(admin).create(**SINGLE)
    by_service = await service_as(internal_service).create(user_id=4, **SINGLE)

    assert (by_admin.user_id, for_the_admin.user_id, by_service.user_id) == (3, 100, 4)
    assert [e.actor for e in await emitted()] == ["user:100", "user:100", "order-service"]


async def test_a_service_must_name_the_user_along_with_any_other_bad_field(
    service_as, internal_service
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await service_as(internal_service).create(product_id="PROD-1", quantity=0)

    assert [p.field for p in caught.value.problems] == ["userId", "quantity"]
    assert "is required" in caught.value.problems[0].message


async def test_anonymous_callers_and_tokens_without_a_user_cannot_order(service_as) -> None:
    with pytest.raises(Unauthenticated):
        await service_as(None).create(user_id="1", **SINGLE)
    with pytest.raises(Forbidden) as caught:
        await service_as(NOBODY).create(user_id="1", **SINGLE)

    assert "role user" in caught.value.message and "admin or service" in caught.value.message


# --- reading ---------------------------------------------------------------------------------


async def test_orders_are_readable_by_their_owner_admins_and_services(
    service, service_as, user, admin, internal_service
) -> None:
    row = await service.create(user_id="5", **SINGLE)

    readers = {
        "owner": user(5),
        "other user": user(6),
        "admin": admin,
        "service": internal_service,
        "anonymous": None,
        "no user": NOBODY,
    }

    assert {name: service_as(who).can_read(row) for name, who in readers.items()} == {
        "owner": True,
        "other user": False,
        "admin": True,
        "service": True,
        "anonymous": False,
        "no user": False,
    }
    assert service_as(user(6)).readable(row) is None
    assert service_as(user(5)).readable(row) is row


async def test_a_user_lists_only_their_own_orders_whatever_the_filter(
    service, service_as, user, add_order
) -> None:
    for owner in ("1", "2", "1", "3"):
        await add_order(user_id=owner)
    await service.change_status(3, S.CANCELLED)
    mine = service_as(user(1))

    everything = await mine.list_page()
    own_filter = await mine.list_page(user_id="1", status=S.CANCELLED)
    other_filter = await mine.list_page(user_id="2")

    assert ([row.id for row in everything.items], everything.total) == ([1, 3], 2)
    assert [row.id for row in own_filter.items] == [3]
    assert (list(other_filter.items), other_filter.total) == ([], 0)


async def test_admins_and_services_list_every_order(
    service_as, admin, internal_service, add_order
) -> None:
    for owner in ("1", "2"):
        await add_order(user_id=owner)

    for caller in (admin, internal_service):
        listed = service_as(caller)
        assert [row.id for row in (await listed.list_page()).items] == [1, 2]
        assert [row.id for row in (await listed.list_page(user_id="2")).items] == [2]


async def test_listing_needs_a_caller_with_a_user_or_a_role(service_as) -> None:
    with pytest.raises(Unauthenticated):
        await service_as(None).list_page()
    with pytest.raises(Forbidden):
        await service_as(NOBODY).list_page()


# --- changing orders --------------------------------------------------------------------------


async def test_the_owner_cancels_their_order_and_the_event_names_them(
    service_as, user, add_order, emitted
) -> None:
    order_id = await add_order(user_id="5")

    row = await service_as(user(5)).cancel(order_id, "changed my mind")

    assert row.status is S.CANCELLED
    (change,) = [e for e in await emitted() if e.type == "order.status_changed"]
    assert (change.actor, change.payload["to"]) == ("user:5", "CANCELLED")


async def test_another_users_order_cannot_be_cancelled_and_looks_missing(
    service_as, user, add_order
) -> None:
    order_id = await add_order(user_id="5")

    with pytest.raises(NotFound) as theirs:
        await service_as(user(6)).cancel(order_id)
    with pytest.raises(NotFound) as missing:
        await service_as(user(6)).cancel(999)

    assert theirs.value.message.replace(str(order_id), "N") == missing.value.message.replace(
        "999", "N"
    )
    with pytest.raises(Unauthenticated):
        await service_as(None).cancel(order_id)


@pytest.mark.parametrize("caller", ["admin", "internal_service"])
async def test_admins_and_services_cancel_any_order(request, service_as, add_order, caller):
    order_id = await add_order(user_id="5")

    row = await service_as(request.getfixturevalue(caller)).cancel(order_id, "out of stock")

    assert (row.status, row.cancellation_reason) == (S.CANCELLED, "out of stock")


async def test_status_changes_are_for_admins_and_services(
    service_as, user, admin, internal_service, add_order, emitted
) -> None:
    order_id = await add_order(user_id="5")

    with pytest.raises(Forbidden) as caught:
        await service_as(user(5)).change_status(order_id, S.CONFIRMED)
    with pytest.raises(Unauthenticated):
        await service_as(None).change_status(order_id, S.CONFIRMED)
    assert "admin or service" in caught.value.message

    await service_as(internal_service).change_status(order_id, S.CONFIRMED)
    await service_as(admin).change_status(order_id, S.SHIPPED)

    changes = [e for e in await emitted() if e.type == "order.status_changed"]
    assert [(e.actor, e.payload["to"]) for e in changes] == [
        ("order-service", "CONFIRMED"),
        ("user:100", "SHIPPED"),
    ]


async def test_a_refused_status_change_is_refused_before_looking_at_the_order(
    service_as, user
) -> None:
    with pytest.raises(Forbidden):
        await service_as(user(5)).change_status(999, S.CONFIRMED)


async def test_only_admins_delete_orders(
    service, service_as, user, internal_service, add_order
) -> None:
    order_id = await add_order(user_id="5")

    for caller in (user(5), internal_service):
        with pytest.raises(Forbidden) as caught:
            await service_as(caller).delete(order_id)
        assert "role admin" in caught.value.message
    with pytest.raises(Unauthenticated):
        await service_as(None).delete(order_id)
    assert (await service.get_many([order_id]))[0] is not None

    assert await service.delete(order_id) is True


# --- as clients meet the rules ------------------------------------------------------------------

CREATE = "mutation($input: CreateOrderInput!) { createOrder(input: $input) { id userId } }"
ORDER = "query($id: ID!) { order(id: $id) { id userId } }"
ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id } } }"
USER_ORDERS = (
    "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id orders { id } } } }"
)
ORDERS = "query($u: ID) { orders(userId: $u) { items { id } pageInfo { totalCount } } }"
PLACE = {"productId": "PROD-1", "quantity": 1, "totalPrice": 5}


async def test_placing_an_order_through_the_schema(execute, user) -> None:
    mine = await execute(CREATE, {"input": PLACE}, identity=user(4))
    theirs = await execute(CREATE, {"input": {"userId": "5", **PLACE}}, identity=user(4))
    anonymous = await execute(CREATE, {"input": PLACE}, identity=None)

    assert mine.data == {"createOrder": {"id": "1", "userId": "4"}}
    error = error_of(theirs)
    assert error["extensions"] == {"code": "FORBIDDEN", "field": "userId"}
    assert error_of(anonymous)["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_someone_elses_order_reads_as_null_everywhere(
    execute, add_order, user, internal_service
) -> None:
    await add_order(user_id="5")
    order = {"id": "1", "userId": "5"}

    assert (await execute(ORDER, {"id": "1"}, identity=user(5))).data == {"order": order}
    assert (await execute(ORDER, {"id": "1"}, identity=internal_service)).data == {"order": order}
    assert (await execute(ORDER, {"id": "1"}, identity=user(6))).data == {"order": None}

    def reference() -> dict:
        return {"r": [{"__typename": "Order", "id": "1"}]}

    assert (await execute(ENTITIES, reference(), identity=user(5))).data == {
        "_entities": [{"id": "1"}]
    }
    for caller in (user(6), None):
        assert (await execute(ENTITIES, reference(), identity=caller)).data == {"_entities": [None]}


async def test_order_by_id_asks_anonymous_callers_to_sign_in(execute, add_order) -> None:
    await add_order()

    result = await execute(ORDER, {"id": "1"}, identity=None)

    assert result.data == {"order": None}
    assert error_of(result)["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_user_orders_show_only_to_the_user_admins_and_services(
    execute, add_order, user, admin
) -> None:
    await add_order(user_id="5")
    await add_order(user_id="6")

    def users() -> dict:
        return {"r": [{"__typename": "User", "id": "5"}, {"__typename": "User", "id": "6"}]}

    as_five = await execute(USER_ORDERS, users(), identity=user(5))
    as_admin = await execute(USER_ORDERS, users(), identity=admin)
    anonymous = await execute(USER_ORDERS, users(), identity=None)

    assert as_five.data["_entities"] == [
        {"id": "5", "orders": [{"id": "1"}]},
        {"id": "6", "orders": []},
    ]
    assert as_admin.data["_entities"] == [
        {"id": "5", "orders": [{"id": "1"}]},
        {"id": "6", "orders": [{"id": "2"}]},
    ]
    assert anonymous.data["_entities"] == [{"id": "5", "orders": []}, {"id": "6", "orders": []}]


async def test_orders_list_through_the_schema(execute, add_order, user) -> None:
    for owner in ("5", "6", "5"):
        await add_order(user_id=owner)

    own = await execute(ORDERS, {"u": None}, identity=user(5))
    other = await execute(ORDERS, {"u": "6"}, identity=user(5))
    anonymous = await execute(ORDERS, {"u": None}, identity=None)

    assert own.data["orders"] == {
        "items": [{"id": "1"}, {"id": "3"}],
        "pageInfo": {"totalCount": 2},
    }
    assert other.data["orders"] == {"items": [], "pageInfo": {"totalCount": 0}}
    assert error_of(anonymous)["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_mutations_refused_by_role_name_the_role(execute, add_order, user) -> None:
    await add_order(user_id="5")

    update = await execute(
        'mutation { updateOrder(id: "1", status: CONFIRMED) { id } }', identity=user(5)
    )
    delete = await execute('mutation { deleteOrder(id: "1") }', identity=user(5))
    cancel_other = await execute('mutation { cancelOrder(id: "1") { id } }', identity=user(6))

    assert error_of(update)["extensions"] == {"code": "FORBIDDEN"}
    assert "admin or service" in error_of(update)["message"]
    assert error_of(delete)["extensions"] == {"code": "FORBIDDEN"}
    assert "role admin" in error_of(delete)["message"]
    assert error_of(cancel_other)["extensions"] == {"code": "NOT_FOUND", "field": "id"}


def test_the_sdl_says_who_may_call_each_operation() -> None:
    sdl = print_sdl(schema)
    operations = {
        "createOrder(": "A user orders for themselves, admins and services for anyone.",
        "order(": "for its owner, admins and services",
        "orders(": "a user sees only their own",
        "cancelOrder(": "Owner, admin or service.",
        "updateOrder(": "Admin or service.",
        "deleteOrder(": "Admin.",
    }

    for field, rule in operations.items():
        description = sdl.split(f"  {field}")[0].rsplit('"""', 2)[-2]
        assert rule in description, field
        assert "UNAUTHENTICATED" in description, field
    assert "  userId: ID = null\n" in sdl.split("input CreateOrderInput")[1]

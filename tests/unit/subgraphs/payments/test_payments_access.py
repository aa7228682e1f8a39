"""Who may do what with payments: the rules in the service, then as clients meet them.

A user pays their own orders and reads and processes their own payments; admins and services
act on every payment, and only they refund; anonymous callers get UNAUTHENTICATED, and someone
else's order or payment looks exactly like a missing one.
"""

from __future__ import annotations

import pytest

from common.errors import Forbidden, NotFound, Unauthenticated
from subgraphs.kit.identity import Identity
from subgraphs.kit.schema import print_sdl
from subgraphs.payments.models import PaymentMethod, PaymentStatus
from subgraphs.payments.schema import schema

S = PaymentStatus
#: A client-credentials token: a subject and a role, but no user and no admin or service role.
NOBODY = Identity(subject="reporting-client", roles=frozenset({"reporting"}))


def error_of(result) -> dict:
    """The only error of a result, as the HTTP response would carry it."""
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


# --- creating payments ------------------------------------------------------------------------


async def test_a_user_pays_their_own_order(service_as, user, known_order) -> None:
    await known_order(order_id=3, user_id=7)

    payment = await service_as(user(7)).create(order_id="3", method=PaymentMethod.WALLET)

    assert (payment.order_id, payment.user_id, payment.status) == (3, 7, S.PENDING)


async def test_someone_elses_order_is_not_found_like_an_unknown_one(
    service_as, user, known_order
) -> None:
    await known_order(order_id=3, user_id=7)

    with pytest.raises(NotFound) as theirs:
        await service_as(user(8)).create(order_id="3", method=PaymentMethod.WALLET)
    with pytest.raises(NotFound) as unknown:
        await service_as(user(8)).create(order_id="4", method=PaymentMethod.WALLET)

    assert theirs.value.field == unknown.value.field == "orderId"
    assert theirs.value.message.replace("3", "N") == unknown.value.message.replace("4", "N")


async def test_admins_and_services_pay_any_order(
    service_as, admin, internal_service, known_order
) -> None:
    await known_order(order_id=1, user_id=7)
    await known_order(order_id=2, user_id=8)

    by_admin = await service_as(admin).create(order_id="1", method=PaymentMethod.WALLET)
    by_service = await service_as(internal_service).create(order_id="2", method=PaymentMethod.CARD)

    assert [(p.order_id, p.user_id) for p in (by_admin, by_service)] == [(1, 7), (2, 8)]


async def test_paying_needs_a_user_or_a_role(service_as, known_order) -> None:
    await known_order()

    with pytest.raises(Unauthenticated):
        await service_as(None).create(order_id="1", method=PaymentMethod.WALLET)
    with pytest.raises(Forbidden) as caught:
        await service_as(NOBODY).create(order_id="1", method=PaymentMethod.WALLET)

    assert "role user" in caught.value.message and "admin or service" in caught.value.message


# --- reading ----------------------------------------------------------------------------------


async def test_payments_are_readable_by_their_owner_admins_and_services(
    service, service_as, user, admin, internal_service, known_order
) -> None:
    await known_order(user_id=5)
    row = await service.create(order_id="1", method=PaymentMethod.WALLET)

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


async def test_a_user_lists_only_their_own_payments_whatever_the_filter(
    service, service_as, user, admin, known_order
) -> None:
    for order, owner in ((1, 1), (2, 2), (3, 1)):
        await known_order(order_id=order, user_id=owner)
        await service.create(order_id=order, method=PaymentMethod.WALLET)
    mine = service_as(user(1))

    everything = await mine.list_page()
    by_order = await mine.list_page(order_id="3")
    their_order = await mine.list_page(order_id="2")
    their_user = await mine.list_page(user_id="2")
    as_admin = await service_as(admin).list_page(user_id="2")

    assert ([row.id for row in everything.items], everything.total) == ([1, 3], 2)
    assert [row.id for row in by_order.items] == [3]
    assert (list(their_order.items), their_order.total) == ([], 0)
    assert (list(their_user.items), their_user.total) == ([], 0)
    assert [row.id for row in as_admin.items] == [2]


async def test_listing_needs_a_caller_with_a_user_or_a_role(service_as) -> None:
    with pytest.raises(Unauthenticated):
        await service_as(None).list_page()
    with pytest.raises(Forbidden):
        await service_as(NOBODY).list_page()


# --- processing and refunding -------------------------------------------------------------------


async def test_the_owner_processes_their_payment_and_the_event_names_them(
    service, service_as, user, known_order, outbox_events
) -> None:
    await known_order(user_id=5)
    payment = await service.create(order_id="1", method=PaymentMethod.WALLET)

    processed = await service_as(user(5)).process(payment.id)

    assert processed.status is S.SUCCEEDED
    (event,) = await outbox_events()
    assert (event.type, event.actor) == ("payment.succeeded", "user:5")


async def test_another_users_payment_cannot_be_processed_and_looks_missing(
    service, service_as, user, known_order, outbox_events
) -> None:
    await known_order(user_id=5)
    payment_id = (await service.create(order_id="1", method=PaymentMethod.WALLET)).id

    with pytest.raises(NotFound) as theirs:
        await service_as(user(6)).process(payment_id)
    with pytest.raises(NotFound) as missing:
        await service_as(user(6)).process(99)
    with pytest.raises(Unauthenticated):
        await service_as(None).process(payment_id)

    assert theirs.value.message.replace(str(payment_id), "N") == missing.value.message.replace(
        "99", "N"
    )
    assert (await service.get_many([payment_id]))[0].status is S.PENDING
    assert await outbox_events() == []


async def test_refunds_are_for_admins_and_services(
    service, service_as, user, internal_service, known_order, outbox_events
) -> None:
    await known_order(user_id=5)
    payment_id = (await service.create(order_id="1", method=PaymentMethod.WALLET)).id
    await service.process(payment_id)

    with pytest.raises(Forbidden) as caught:
        await service_as(user(5)).refund(payment_id, "please")
    with pytest.raises(Unauthenticated):
        await service_as(None).refund(payment_id, "please")
    assert "admin or service" in caught.value.message
    assert (await service.get_many([payment_id]))[0].status is S.SUCCEEDED

    refunded = await service_as(internal_service).refund(payment_id, "order cancelled")

    assert refunded.status is S.REFUNDED
    assert [(e.type, e.actor) for e in await outbox_events()] == [
        ("payment.succeeded", "user:100"),
        ("payment.refunded", "order-service"),
    ]


# --- as clients meet the rules ------------------------------------------------------------------

CREATE = (
    "mutation($input: CreatePaymentInput!) { createPayment(input: $input) { id orderId userId } }"
)
PAYMENT = "query($id: ID!) { payment(id: $id) { id } }"
BY_ORDER = "query($o: ID!) { paymentByOrder(orderId: $o) { id } }"
ENTITIES = """
query($r: [_Any!]!) {
  _entities(representations: $r) { ... on Payment { id } ... on Order { id payment { id } } }
}
"""


def references() -> dict:
    """A Payment and an Order reference (fresh: the resolver consumes `__typename`)."""
    return {"r": [{"__typename": "Payment", "id": "1"}, {"__typename": "Order", "id": "1"}]}


async def test_paying_through_the_schema(execute, known_order, user) -> None:
    await known_order(order_id=1, user_id=5)

    theirs = await execute(CREATE, {"input": {"orderId": "1", "method": "CARD"}}, identity=user(6))
    anonymous = await execute(CREATE, {"input": {"orderId": "1", "method": "CARD"}}, identity=None)
    mine = await execute(CREATE, {"input": {"orderId": "1", "method": "CARD"}}, identity=user(5))

    assert error_of(theirs)["extensions"] == {"code": "NOT_FOUND", "field": "orderId"}
    assert error_of(anonymous)["extensions"] == {"code": "UNAUTHENTICATED"}
    assert mine.data == {"createPayment": {"id": "1", "orderId": "1", "userId": "5"}}


async def test_someone_elses_payment_reads_as_null_everywhere(
    execute, known_order, user, internal_service
) -> None:
    await known_order(order_id=1, user_id=5)
    await execute(CREATE, {"input": {"orderId": "1", "method": "CARD"}})

    for caller in (user(5), internal_service):
        assert (await execute(PAYMENT, {"id": "1"}, identity=caller)).data == {
            "payment": {"id": "1"}
        }
        assert (await execute(BY_ORDER, {"o": "1"}, identity=caller)).data == {
            "paymentByOrder": {"id": "1"}
        }
        assert (await execute(ENTITIES, references(), identity=caller)).data == {
            "_entities": [{"id": "1"}, {"id": "1", "payment": {"id": "1"}}]
        }
    assert (await execute(PAYMENT, {"id": "1"}, identity=user(6))).data == {"payment": None}
    assert (await execute(BY_ORDER, {"o": "1"}, identity=user(6))).data == {"paymentByOrder": None}
    for caller in (user(6), None):
        assert (await execute(ENTITIES, references(), identity=caller)).data == {
            "_entities": [None, {"id": "1", "payment": None}]
        }


async def test_lookups_ask_anonymous_callers_to_sign_in(execute, known_order) -> None:
    await known_order(order_id=1, user_id=5)
    await execute(CREATE, {"input": {"orderId": "1", "method": "CARD"}})

    for query, variables in ((PAYMENT, {"id": "1"}), (BY_ORDER, {"o": "1"})):
        result = await execute(query, variables, identity=None)
        assert error_of(result)["extensions"] == {"code": "UNAUTHENTICATED"}
    listed = await execute("{ payments { items { id } } }", identity=None)
    assert error_of(listed)["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_payments_list_through_the_schema(execute, known_order, user) -> None:
    for order, owner in ((1, 5), (2, 6)):
        await known_order(order_id=order, user_id=owner)
        await execute(CREATE, {"input": {"orderId": str(order), "method": "CARD"}})
    query = "query($u: ID) { payments(userId: $u) { items { id } pageInfo { totalCount } } }"

    own = await execute(query, {"u": None}, identity=user(5))
    other = await execute(query, {"u": "6"}, identity=user(5))

    assert own.data["payments"] == {"items": [{"id": "1"}], "pageInfo": {"totalCount": 1}}
    assert other.data["payments"] == {"items": [], "pageInfo": {"totalCount": 0}}


async def test_process_and_refund_through_the_schema(execute, known_order, user) -> None:
    await known_order(order_id=1, user_id=5)
    await execute(CREATE, {"input": {"orderId": "1", "method": "CARD"}})
    process = 'mutation { processPayment(id: "1") { status } }'
    refund = 'mutation { refundPayment(id: "1", reason: "because") { status } }'

    by_other = await execute(process, identity=user(6))
    by_owner = await execute(process, identity=user(5))
    refund_by_owner = await execute(refund, identity=user(5))

    assert error_of(by_other)["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert by_owner.data == {"processPayment": {"status": "SUCCEEDED"}}
    error = error_of(refund_by_owner)
    assert error["extensions"] == {"code": "FORBIDDEN"}
    assert "admin or service" in error["message"]


def test_the_sdl_says_who_may_call_each_operation() -> None:
    sdl = print_sdl(schema)
    operations = {
        "createPayment(": "For your own order; admins and services for any order.",
        "processPayment(": "Owner, admin or service.",
        "refundPayment(": "Admin or service.",
        "payment(": "for its owner, admins and services",
        "paymentByOrder(": "for the order's owner, admins and services",
        "payments(": "a user sees only their own",
    }

    for field, rule in operations.items():
        description = sdl.split(f"  {field}")[0].rsplit('"""', 2)[-2]
        assert rule in description, field
        assert "UNAUTHENTICATED" in description, field

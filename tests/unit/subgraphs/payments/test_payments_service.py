"""Payment rules: the amount is the order's total, one live payment per order, the life cycle,
events in the same transaction as the status change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from common.errors import Conflict, NotFound, ValidationFailed
from subgraphs.kit.clock import as_utc
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import ADMIN, Identity
from subgraphs.payments.models import OrderTotalRow, PaymentMethod, PaymentRow, PaymentStatus
from subgraphs.payments.provider import ChargeRequest, ChargeResult, FakeProvider
from subgraphs.payments.service import NEXT_STATUSES, PaymentService

S, M = PaymentStatus, PaymentMethod
ADMIN_CALLER = Identity(subject="user:100", user_id=100, roles=frozenset({ADMIN}))


async def create(service: PaymentService, **fields: Any) -> PaymentRow:
    values: dict[str, Any] = {"order_id": "1", "method": M.CARD} | fields
    return await service.create(**values)


async def test_create_takes_amount_and_user_from_the_read_model(
    service, known_order, clock
) -> None:
    await known_order(order_id=7, user_id=3, total="123.45")

    payment = await create(service, order_id="7", card_token="tok_visa")

    assert (payment.id, payment.order_id, payment.user_id) == (1, 7, 3)
    assert payment.amount == Decimal("123.45")
    assert (payment.currency, payment.status, payment.method) == ("USD", S.PENDING, M.CARD)
    assert payment.card_token == "tok_visa"
    assert payment.created_at == payment.updated_at == clock.now


async def test_create_for_an_order_unknown_to_the_read_model_is_not_found(service) -> None:
    with pytest.raises(NotFound) as caught:
        await create(service, order_id="42")

    assert caught.value.field == "orderId"
    assert "42" in caught.value.message and "order.created" in caught.value.message


async def test_a_cancelled_order_cannot_be_paid(service, known_order) -> None:
    await known_order(status="CANCELLED")

    with pytest.raises(Conflict) as caught:
        await create(service)

    assert caught.value.field == "orderId"
    assert "CANCELLED" in caught.value.message


async def test_a_second_payment_is_refused_until_the_first_failed(service, known_order) -> None:
    await known_order()
    first_id = (await create(service, card_token="tok_fail_card_declined")).id

    with pytest.raises(Conflict) as caught:
        await create(service, method=M.WALLET)
    assert caught.value.field == "orderId"
    assert f"payment {first_id} (PENDING)" in caught.value.message

    await service.process(first_id)
    second = await create(service, method=M.WALLET)
    second_id = second.id

    assert second.status is S.PENDING
    await service.process(second_id)
    with pytest.raises(Conflict):
        await create(service)
    await service.refund(second_id, "changed my mind")
    with pytest.raises(Conflict, match="REFUNDED"):
        await create(service)


async def test_create_validation_names_every_bad_field(service) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await create(service, order_id="x", currency="usd", card_token="4111111111111111")

    assert [p.field for p in caught.value.problems] == ["orderId", "currency", "cardToken"]


@pytest.mark.parametrize("currency", ["EUR", " GBP "])
async def test_create_accepts_iso_currency_codes(service, known_order, currency) -> None:
    await known_order()

    assert (await create(service, currency=currency)).currency == currency.strip()


@pytest.mark.parametrize("currency", ["", "US", "USDX", "usd", "U$D", "123"])
async def test_create_refuses_other_currencies(service, known_order, currency) -> None:
    await known_order()

    with pytest.raises(ValidationFailed) as caught:
        await create(service, currency=currency)

    assert caught.value.field == "currency"


async def test_a_card_token_is_for_card_payments_only(service, known_order) -> None:
    await known_order()

    with pytest.raises(ValidationFailed) as caught:
        await create(service, method=M.BANK_TRANSFER, card_token="tok_visa")

    assert caught.value.field == "cardToken"


async def test_process_succeeds_and_emits_payment_succeeded(
    service, known_order, outbox_events, clock
) -> None:
    await known_order(order_id=5, user_id=2, total="59.97")
    payment = await create(service, order_id="5", currency="EUR")
    later = clock.advance(minutes=1)

    processed = await service.process(str(payment.id))

    assert processed.status is S.SUCCEEDED
    assert processed.provider_reference == f"fake_ch_{payment.id}"
    assert processed.failure_reason is None
    assert as_utc(processed.updated_at) == later
    (event,) = await outbox_events()
    assert (event.type, event.source, event.entity_type, event.entity_id) == (
        "payment.succeeded",
        "payments",
        "Payment",
        str(payment.id),
    )
    assert event.payload == {
        "payment_id": str(payment.id),
        "order_id": "5",
        "user_id": "2",
        "amount": "59.97",
        "currency": "EUR",
    }


@pytest.mark.parametrize(
    ("total", "token", "reason"),
    [
        ("59.97", "tok_fail_insufficient_funds", "card declined: test token tok_fail"),
        ("12.13", "tok_visa", "ending in .13"),
        ("0.13", None, "ending in .13"),
    ],
)
async def test_process_fails_by_the_fake_provider_rule_and_emits_payment_failed(
    service, known_order, outbox_events, total, token, reason
) -> None:
    await known_order(total=total)
    payment = await create(service, card_token=token)

    processed = await service.process(payment.id)

    assert processed.status is S.FAILED
    assert reason in processed.failure_reason
    assert processed.provider_reference is None
    (event,) = await outbox_events()
    assert event.type == "payment.failed"
    assert event.payload["reason"] == processed.failure_reason
    assert event.payload["amount"] == total


class RecordingProvider(FakeProvider):
    """Looks at the stored payment while charging, to see what other requests would see."""

    def __init__(self, sessions) -> None:
        self.sessions = sessions
        self.seen: list[PaymentStatus] = []

    async def charge(self, request: ChargeRequest) -> ChargeResult:
        async with self.sessions() as session:
            self.seen.append(await session.scalar(select(PaymentRow.status)))
        return await super().charge(request)


async def test_processing_is_committed_before_the_charge(known_order, sessions, clock) -> None:
    await known_order()
    provider = RecordingProvider(sessions)
    async with sessions() as session:
        service = PaymentService(RequestDb(session), ADMIN_CALLER, provider=provider, clock=clock)
        payment = await create(service)

        await service.process(payment.id)

    assert provider.seen == [S.PROCESSING]


class BrokenProvider(FakeProvider):
    async def charge(self, request: ChargeRequest) -> ChargeResult:
        raise ConnectionError("provider down")

    async def refund(self, reference: str, amount: Decimal, currency: str) -> None:
        raise ConnectionError("provider down")


async def test_a_provider_crash_fails_the_payment(known_order, sessions, outbox_events, clock):
    await known_order()
    async with sessions() as session:
        service = PaymentService(
            RequestDb(session), ADMIN_CALLER, provider=BrokenProvider(), clock=clock
        )
        payment = await create(service)

        processed = await service.process(payment.id)

    assert processed.status is S.FAILED
    assert "did not answer" in processed.failure_reason
    assert [event.type for event in await outbox_events()] == ["payment.failed"]


@pytest.mark.parametrize("status", [S.PROCESSING, S.SUCCEEDED, S.FAILED, S.REFUNDED])
async def test_only_a_pending_payment_can_be_processed(service, session, known_order, status):
    await known_order()
    payment = await create(service)
    payment.status = status
    await session.commit()

    with pytest.raises(Conflict) as caught:
        await service.process(payment.id)

    assert caught.value.field == "status"
    assert f"it is {status}" in caught.value.message


async def test_processing_a_payment_of_an_order_cancelled_since_is_a_conflict(
    service, session, known_order
) -> None:
    order = await known_order()
    payment_id = (await create(service)).id
    (await session.get(OrderTotalRow, order)).status = "CANCELLED"
    await session.commit()

    with pytest.raises(Conflict, match="CANCELLED"):
        await service.process(payment_id)

    assert (await service.get_many([payment_id]))[0].status is S.PENDING


async def test_refund_of_a_succeeded_payment_emits_payment_refunded(
    service, known_order, outbox_events
) -> None:
    await known_order()
    payment = await service.process((await create(service)).id)

    refunded = await service.refund(payment.id, "  damaged on arrival ")

    assert refunded.status is S.REFUNDED
    assert refunded.refund_reason == "damaged on arrival"
    assert refunded.provider_reference == f"fake_ch_{payment.id}"
    events = await outbox_events()
    assert [event.type for event in events] == ["payment.succeeded", "payment.refunded"]
    assert events[1].payload["reason"] == "damaged on arrival"


@pytest.mark.parametrize("token", [None, "tok_fail"])
async def test_only_a_succeeded_payment_can_be_refunded(service, known_order, token) -> None:
    await known_order()
    payment = await create(service, card_token=token)
    if token:
        await service.process(payment.id)
    current = (await service.get_many([payment.id]))[0].status

    with pytest.raises(Conflict) as caught:
        await service.refund(payment.id, "why not")

    assert caught.value.field == "status"
    assert f"it is {current}" in caught.value.message
    assert "only a SUCCEEDED payment can be refunded" in caught.value.message


async def test_a_refused_refund_changes_nothing(known_order, sessions, outbox_events, clock):
    await known_order()
    async with sessions() as session:
        service = PaymentService(RequestDb(session), ADMIN_CALLER, clock=clock)
        payment_id = (await service.process((await create(service)).id)).id
        broken = PaymentService(
            RequestDb(session), ADMIN_CALLER, provider=BrokenProvider(), clock=clock
        )

        with pytest.raises(ConnectionError):
            await broken.refund(payment_id, "please")

        assert (await service.get_many([payment_id]))[0].status is S.SUCCEEDED
    assert [event.type for event in await outbox_events()] == ["payment.succeeded"]


async def test_refund_needs_a_reason(service, known_order) -> None:
    await known_order()
    payment = await service.process((await create(service)).id)

    with pytest.raises(ValidationFailed) as caught:
        await service.refund(payment.id, "   ")

    assert caught.value.field == "reason"


@pytest.mark.parametrize("payment_id", ["999", "abc", "", "0", None])
async def test_unknown_payments_are_not_found(service, payment_id) -> None:
    with pytest.raises(NotFound):
        await service.process(payment_id)
    with pytest.raises(NotFound):
        await service.refund(payment_id, "reason")


def test_the_life_cycle_has_exactly_four_moves() -> None:
    moves = sorted((a, b) for a, nexts in NEXT_STATUSES.items() for b in nexts)

    assert moves == sorted(
        [
            (S.PENDING, S.PROCESSING),
            (S.PROCESSING, S.SUCCEEDED),
            (S.PROCESSING, S.FAILED),
            (S.SUCCEEDED, S.REFUNDED),
        ]
    )


async def test_list_page_filters_and_treats_malformed_ids_as_matching_nothing(
    service, known_order
) -> None:
    await known_order(order_id=1, user_id=1)
    await known_order(order_id=2, user_id=2)
    await known_order(order_id=3, user_id=1)
    for order in ("1", "2", "3"):
        await create(service, order_id=order)
    await service.process(1)

    by_user = await service.list_page(user_id="1")
    by_order = await service.list_page(order_id=2)
    by_status = await service.list_page(status=S.SUCCEEDED)
    malformed = await service.list_page(user_id="abc")

    assert [row.order_id for row in by_user.items] == [1, 3]
    assert [row.order_id for row in by_order.items] == [2]
    assert [row.id for row in by_status.items] == [1]
    assert (list(malformed.items), malformed.total) == ([], 0)


async def test_latest_by_orders_prefers_the_live_payment(service, known_order) -> None:
    await known_order(order_id=1)
    await known_order(order_id=2)
    failed = await service.process((await create(service, card_token="tok_fail")).id)
    live = await create(service)

    found = await service.latest_by_orders([1, 2, 1])

    assert failed.status is S.FAILED
    assert [row.id if row else None for row in found] == [live.id, None, live.id]

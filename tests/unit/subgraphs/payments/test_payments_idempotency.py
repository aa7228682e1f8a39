"""Payments only of a catalogue total, and idempotency keys on create, process and refund: a
retry with the same key answers the payment the first request made or acted on, and charges,
refunds and events happen once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from common.errors import IdempotencyKeyReused, NotFound, ValidationFailed
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import Identity
from subgraphs.payments.models import PaymentMethod, PaymentRow, PaymentStatus, idempotency_keys
from subgraphs.payments.provider import ChargeRequest, ChargeResult, FakeProvider
from subgraphs.payments.service import PaymentService

S = PaymentStatus


class Crash(BaseException):
    """The process dying mid-request (nothing after it runs)."""


class CountingProvider(FakeProvider):
    """The fake provider, counting charges; `crash` makes the next charge die before answering."""

    def __init__(self) -> None:
        self.charges: list[int] = []
        self.crash = False

    async def charge(self, request: ChargeRequest) -> ChargeResult:
        if self.crash:
            self.crash = False
            raise Crash
        self.charges.append(request.payment_id)
        return await super().charge(request)


@pytest.fixture
def provider() -> CountingProvider:
    return CountingProvider()


@pytest.fixture
def acting(sessions, clock, provider):
    """A service for `caller` on a fresh session, as each HTTP request gets."""

    def make(caller: Identity) -> PaymentService:
        return PaymentService(RequestDb(sessions()), caller, provider=provider, clock=clock)

    return make


async def count(sessions, model: Any) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_an_order_without_a_catalogue_total_cannot_be_paid_yet(service, known_order) -> None:
    await known_order(total=None)

    with pytest.raises(NotFound) as caught:
        await service.create(order_id="1", method=PaymentMethod.WALLET)

    assert caught.value.field == "orderId"
    assert "no total yet" in caught.value.message and "Retry shortly" in caught.value.message


async def test_a_created_payment_is_of_the_read_models_total(service, known_order) -> None:
    await known_order(total="39.98")

    payment = await service.create(order_id="1", method=PaymentMethod.WALLET)

    assert payment.amount == Decimal("39.98")


async def test_create_retried_with_its_key_answers_the_first_payment(
    acting, user, known_order, sessions
) -> None:
    await known_order(user_id=4)

    first = await acting(user(4)).create(
        order_id="1", method=PaymentMethod.WALLET, idempotency_key="c"
    )
    again = await acting(user(4)).create(
        order_id="1", method=PaymentMethod.WALLET, idempotency_key="c"
    )

    assert again.id == first.id
    assert await count(sessions, PaymentRow) == 1


async def test_create_with_the_key_of_another_request_is_refused(acting, user, known_order) -> None:
    await known_order(user_id=4)
    await acting(user(4)).create(order_id="1", method=PaymentMethod.WALLET, idempotency_key="c")

    with pytest.raises(IdempotencyKeyReused):
        await acting(user(4)).create(order_id="1", method=PaymentMethod.CARD, idempotency_key="c")


async def test_process_retried_after_it_finished_charges_once(
    acting, user, known_order, provider, outbox_events
) -> None:
    await known_order(user_id=4)
    payment = await acting(user(4)).create(order_id="1", method=PaymentMethod.WALLET)

    first = await acting(user(4)).process(payment.id, idempotency_key="p")
    again = await acting(user(4)).process(payment.id, idempotency_key="p")

    assert (first.status, again.status, again.id) == (S.SUCCEEDED, S.SUCCEEDED, payment.id)
    assert provider.charges == [payment.id]
    assert [e.type for e in await outbox_events()] == ["payment.succeeded"]


async def test_process_that_died_before_the_charge_completes_on_retry(
    acting, user, known_order, provider, outbox_events
) -> None:
    await known_order(user_id=4)
    payment = await acting(user(4)).create(order_id="1", method=PaymentMethod.WALLET)
    provider.crash = True
    with pytest.raises(Crash):
        await acting(user(4)).process(payment.id, idempotency_key="p")

    resumed = await acting(user(4)).process(payment.id, idempotency_key="p")

    assert resumed.status is S.SUCCEEDED
    assert provider.charges == [payment.id]
    assert [e.type for e in await outbox_events()] == ["payment.succeeded"]


async def test_a_resumed_process_answers_the_outcome_the_first_call_stored(
    acting, user, known_order, provider, sessions, outbox_events
) -> None:
    """The first call was only slow: it settles while the retry charges (the provider takes the
    payment id as its idempotency key); the retry answers the stored outcome, no second event."""
    await known_order(user_id=4)
    payment = await acting(user(4)).create(order_id="1", method=PaymentMethod.WALLET)
    provider.crash = True
    with pytest.raises(Crash):
        await acting(user(4)).process(payment.id, idempotency_key="p")
    async with sessions() as session, session.begin():
        row = await session.get(PaymentRow, payment.id)
        row.status, row.provider_reference = S.SUCCEEDED, "first-call"

    resumed = await acting(user(4)).process(payment.id, idempotency_key="p")

    assert (resumed.status, resumed.provider_reference) == (S.SUCCEEDED, "first-call")
    assert await outbox_events() == []


async def test_refund_retried_with_its_key_refunds_once(
    acting, user, admin, known_order, outbox_events
) -> None:
    await known_order(user_id=4)
    payment = await acting(user(4)).create(order_id="1", method=PaymentMethod.WALLET)
    await acting(user(4)).process(payment.id)

    first = await acting(admin).refund(payment.id, "damaged", idempotency_key="r")
    again = await acting(admin).refund(payment.id, "damaged", idempotency_key="r")

    assert (first.status, again.status) == (S.REFUNDED, S.REFUNDED)
    assert [e.type for e in await outbox_events()] == ["payment.succeeded", "payment.refunded"]
    with pytest.raises(IdempotencyKeyReused):
        await acting(admin).refund(payment.id, "another reason", idempotency_key="r")


async def test_a_key_names_one_request_across_operations(acting, user, known_order) -> None:
    await known_order(user_id=4)
    payment = await acting(user(4)).create(
        order_id="1", method=PaymentMethod.WALLET, idempotency_key="k"
    )

    with pytest.raises(IdempotencyKeyReused):
        await acting(user(4)).process(payment.id, idempotency_key="k")


@pytest.mark.parametrize("key", ["", " ", "k" * 256, "caf\u00e9", "new\nline"])
async def test_a_malformed_key_is_refused_and_nothing_happens(
    acting, user, admin, known_order, sessions, key
) -> None:
    await known_order(user_id=4)
    payment = await acting(user(4)).create(order_id="1", method=PaymentMethod.WALLET)

    for attempt in (
        acting(user(4)).create(order_id="1", method=PaymentMethod.WALLET, idempotency_key=key),
        acting(user(4)).process(payment.id, idempotency_key=key),
        acting(admin).refund(payment.id, "why", idempotency_key=key),
    ):
        with pytest.raises(ValidationFailed) as caught:
            await attempt
        assert caught.value.field == "idempotencyKey"
    assert await count(sessions, idempotency_keys) == 0

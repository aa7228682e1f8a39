"""The fake provider's documented rule: `tok_fail...` tokens and amounts ending in .13 fail."""

from __future__ import annotations

from decimal import Decimal

import pytest

from subgraphs.payments.models import PaymentMethod
from subgraphs.payments.provider import ChargeRequest, FakeProvider


def request(amount: str, token: str | None = None) -> ChargeRequest:
    method = PaymentMethod.CARD if token else PaymentMethod.WALLET
    return ChargeRequest(
        payment_id=9, amount=Decimal(amount), currency="USD", method=method, card_token=token
    )


@pytest.mark.parametrize(
    ("amount", "token"),
    [("10.00", None), ("10.00", "tok_visa"), ("0.31", None), ("13.00", None), ("1.14", None)],
)
async def test_charges_succeed_with_a_reference(amount, token) -> None:
    result = await FakeProvider().charge(request(amount, token))

    assert (result.succeeded, result.reference, result.failure_reason) == (
        True,
        "fake_ch_9",
        None,
    )


@pytest.mark.parametrize(
    ("amount", "token", "reason"),
    [
        ("10.00", "tok_fail", "card declined: test token tok_fail"),
        ("10.00", "tok_fail_insufficient_funds", "tok_fail_insufficient_funds"),
        ("12.13", None, "amount 12.13 USD declined"),
        ("0.13", "tok_visa", "ending in .13"),
    ],
)
async def test_charges_fail_with_a_reason(amount, token, reason) -> None:
    result = await FakeProvider().charge(request(amount, token))

    assert (result.succeeded, result.reference) == (False, None)
    assert reason in result.failure_reason


async def test_refunds_succeed() -> None:
    assert await FakeProvider().refund("fake_ch_9", Decimal("1.00"), "USD") is None

"""The payment provider the service charges through, and the fake one it uses until a real one.

`FakeProvider`'s rule, which tests and demos rely on:

- a card token starting with `tok_fail` is declined ("card declined: ..." with the token);
- an amount whose cents are .13 (12.13, 0.13, ...) is declined ("amount ... declined");
- anything else succeeds with the reference `fake_ch_<payment id>`;
- refunds always succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from subgraphs.payments.models import PaymentMethod

FAILING_TOKEN_PREFIX = "tok_fail"
FAILING_CENTS = 13


@dataclass(frozen=True)
class ChargeRequest:
    """What the provider is asked to charge."""

    payment_id: int
    amount: Decimal
    currency: str
    method: PaymentMethod
    card_token: str | None = None


@dataclass(frozen=True)
class ChargeResult:
    """The provider's answer: a reference when it succeeded, a reason when it did not."""

    succeeded: bool
    reference: str | None = None
    failure_reason: str | None = None


class PaymentProvider(Protocol):
    """A payment service provider (a card acquirer, a bank, a wallet)."""

    async def charge(self, request: ChargeRequest) -> ChargeResult:
        """Charge the amount; a decline is a result, not an exception."""
        ...

    async def refund(self, reference: str, amount: Decimal, currency: str) -> None:
        """Give back a charge; raises when the provider refuses."""
        ...


class FakeProvider:
    """A deterministic provider for development and tests (its rule is in the module docstring)."""

    async def charge(self, request: ChargeRequest) -> ChargeResult:
        """Decline `tok_fail...` tokens and amounts ending in .13; accept the rest."""
        token = request.card_token or ""
        if token.startswith(FAILING_TOKEN_PREFIX):
            return ChargeResult(False, failure_reason=f"card declined: test token {token}")
        cents = int((request.amount * 100) % 100)
        if cents == FAILING_CENTS:
            return ChargeResult(
                False,
                failure_reason=(
                    f"amount {request.amount} {request.currency} declined: "
                    f"the fake provider declines amounts ending in .{FAILING_CENTS}"
                ),
            )
        return ChargeResult(True, reference=f"fake_ch_{request.payment_id}")

    async def refund(self, reference: str, amount: Decimal, currency: str) -> None:
        """Refunds always succeed."""
        return None

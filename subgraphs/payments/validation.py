"""Rules for payment input: each returns the clean value or a FieldProblem naming the field."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from common.errors import FieldProblem
from subgraphs.kit.ids import parse_id
from subgraphs.kit.text import required_text
from subgraphs.payments.models import PaymentMethod

DEFAULT_CURRENCY = "USD"
MAX_CARD_TOKEN_LENGTH = 64
MAX_REASON_LENGTH = 500
CENT = Decimal("0.01")

# ISO 4217 alphabetic codes: three capital letters (whether the code is assigned is not checked).
_CURRENCY = re.compile(r"^[A-Z]{3}$")
# Provider tokens such as `tok_visa` or `tok_fail_insufficient_funds`.
_CARD_TOKEN = re.compile(r"^tok_[A-Za-z0-9_]+$")


def clean_order_id(value: object) -> int | FieldProblem:
    """The order's row id."""
    order_id = parse_id(value)
    if order_id is None:
        return FieldProblem("orderId", "must be the id of an order (a positive whole number)")
    return order_id


def clean_currency(value: str | None) -> str | FieldProblem:
    """The ISO 4217 code, USD when not given."""
    if value is None:
        return DEFAULT_CURRENCY
    currency = value.strip()
    if not _CURRENCY.match(currency):
        return FieldProblem("currency", "must be an ISO 4217 code of 3 capital letters, like USD")
    return currency


def clean_card_token(value: str | None, method: PaymentMethod) -> str | FieldProblem | None:
    """The card token, only for CARD payments and shaped like `tok_...`."""
    if value is None:
        return None
    if method is not PaymentMethod.CARD:
        return FieldProblem("cardToken", "is only for the CARD method; leave it out")
    token = value.strip()
    if len(token) > MAX_CARD_TOKEN_LENGTH or not _CARD_TOKEN.match(token):
        return FieldProblem(
            "cardToken",
            f"must be a provider token like tok_visa (at most {MAX_CARD_TOKEN_LENGTH} characters)",
        )
    return token


def clean_reason(value: str | None) -> str | FieldProblem:
    """A refund reason trimmed, if 1 to 500 characters remain."""
    return required_text(value, "reason", MAX_REASON_LENGTH)


def event_amount(value: object) -> Decimal:
    """A money amount from an event payload (a number or a decimal string), in whole cents."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount.quantize(CENT)

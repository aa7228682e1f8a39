"""Rules for product input: each returns the clean value or a FieldProblem naming the field."""

from __future__ import annotations

import math
import re
from decimal import Decimal

from common.errors import FieldProblem
from subgraphs.kit.text import optional_text, required_text

MAX_SKU_LENGTH = 64
MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 2000
MAX_REASON_LENGTH = 200
#: Fits a 32-bit signed integer column on every backend.
MAX_STOCK = 1_000_000_000
#: Numeric(12, 2): ten digits before the point.
MAX_PRICE = Decimal("9999999999.99")
CENT = Decimal("0.01")

_SKU = re.compile(r"^[A-Z0-9_-]+$")


def normalise_sku(value: str) -> str:
    """The sku as stored: trimmed and upper-cased (`prod-1` names `PROD-1`)."""
    return value.strip().upper()


def clean_sku(value: str | None, field: str = "sku") -> str | FieldProblem:
    """The sku trimmed and upper-cased, if 1 to 64 characters of A-Z, 0-9, - and _."""
    sku = normalise_sku(value or "")
    if not 1 <= len(sku) <= MAX_SKU_LENGTH or not _SKU.match(sku):
        return FieldProblem(
            field, f"must be 1 to {MAX_SKU_LENGTH} characters of A-Z, 0-9, - and _ (like PROD-1)"
        )
    return sku


def clean_name(value: str | None) -> str | FieldProblem:
    """The name trimmed, if 1 to 200 characters remain."""
    return required_text(value, "name", MAX_NAME_LENGTH)


def clean_description(value: str | None) -> str | FieldProblem | None:
    """The description trimmed (None when absent or blank), if at most 2000 characters."""
    return optional_text(value, "description", MAX_DESCRIPTION_LENGTH)


def clean_money(value: float | None, field: str) -> Decimal | FieldProblem:
    """An amount as an exact Decimal, if finite, not negative and in whole cents."""
    if value is None or not math.isfinite(value):
        return FieldProblem(field, "must be a number")
    # repr() gives the shortest decimal that reads back as the same float: 19.99, not 19.989999...
    amount = Decimal(repr(float(value)))
    if amount < 0 or amount > MAX_PRICE:
        return FieldProblem(field, f"must be between 0 and {MAX_PRICE}")
    if amount != amount.quantize(CENT):
        return FieldProblem(field, "must have at most 2 decimal places")
    return amount.quantize(CENT)


def clean_price(value: float | None) -> Decimal | FieldProblem:
    """The price, in whole cents between 0 and 9999999999.99."""
    return clean_money(value, "price")


def clean_stock(value: int | None) -> int | FieldProblem:
    """The initial stock, if between 0 and 1000000000."""
    if value is None or not 0 <= value <= MAX_STOCK:
        return FieldProblem("stock", f"must be between 0 and {MAX_STOCK}")
    return value


def clean_active(value: bool | None) -> bool | FieldProblem:
    """The active flag, which cannot be null."""
    if value is None:
        return FieldProblem("active", "must be true or false, not null")
    return value


def clean_delta(value: int) -> int | FieldProblem:
    """A stock change: not 0, at most 1000000000 either way."""
    if value == 0 or abs(value) > MAX_STOCK:
        return FieldProblem(
            "delta", f"must be a non-zero whole number between -{MAX_STOCK} and {MAX_STOCK}"
        )
    return value


def clean_reason(value: str) -> str | FieldProblem:
    """Why the stock changes, trimmed, 1 to 200 characters."""
    return required_text(value, "reason", MAX_REASON_LENGTH)


def clean_price_range(
    min_price: float | None, max_price: float | None
) -> list[FieldProblem] | tuple[Decimal | None, Decimal | None]:
    """The list filter's price bounds, or the problems with them."""
    low = None if min_price is None else clean_money(min_price, "minPrice")
    high = None if max_price is None else clean_money(max_price, "maxPrice")
    problems = [bound for bound in (low, high) if isinstance(bound, FieldProblem)]
    if problems:
        return problems
    assert not isinstance(low, FieldProblem) and not isinstance(high, FieldProblem)
    if low is not None and high is not None and low > high:
        return [FieldProblem("maxPrice", "must not be below minPrice")]
    return low, high

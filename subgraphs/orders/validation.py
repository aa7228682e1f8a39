"""Rules for order input: each returns the clean value or a FieldProblem naming the field."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple, Protocol

from common.errors import FieldProblem
from subgraphs.kit.ids import parse_id

MAX_PRODUCT_ID_LENGTH = 64
MIN_QUANTITY, MAX_QUANTITY = 1, 10_000
#: Numeric(12, 2): ten digits before the point.
MAX_TOTAL_PRICE = Decimal("9999999999.99")
CENT = Decimal("0.01")


class ItemInput(Protocol):
    """An order line as the client gives it (the GraphQL input)."""

    product_id: str
    quantity: int
    unit_price: float


class CleanItem(NamedTuple):
    """A validated order line."""

    sku: str
    quantity: int
    unit_price: Decimal


def clean_user_id(value: object) -> int | FieldProblem:
    """The user's row id. The users subgraph is not asked whether the user exists."""
    user_id = parse_id(value)
    if user_id is None:
        return FieldProblem("userId", "must be the id of a user (a positive whole number)")
    return user_id


def clean_product_id(value: str) -> str | FieldProblem:
    """The product id trimmed, if 1 to 64 characters remain."""
    product_id = value.strip()
    if not 1 <= len(product_id) <= MAX_PRODUCT_ID_LENGTH:
        return FieldProblem(
            "productId", f"must be 1 to {MAX_PRODUCT_ID_LENGTH} characters (not blank)"
        )
    return product_id


def clean_quantity(value: int) -> int | FieldProblem:
    """The quantity, if between 1 and 10000."""
    if not MIN_QUANTITY <= value <= MAX_QUANTITY:
        return FieldProblem("quantity", f"must be between {MIN_QUANTITY} and {MAX_QUANTITY}")
    return value


def clean_total_price(value: float) -> Decimal | FieldProblem:
    """The price as an exact Decimal, if finite, not negative and in whole cents."""
    if not math.isfinite(value):
        return FieldProblem("totalPrice", "must be a number")
    # repr() gives the shortest decimal that reads back as the same float: 19.99, not 19.989999...
    price = Decimal(repr(float(value)))
    if price < 0 or price > MAX_TOTAL_PRICE:
        return FieldProblem("totalPrice", f"must be between 0 and {MAX_TOTAL_PRICE}")
    if price != price.quantize(CENT):
        return FieldProblem("totalPrice", "must have at most 2 decimal places")
    return price.quantize(CENT)


MAX_ITEMS = 100
MAX_SHIPPING_ADDRESS_LENGTH = 500
MAX_NOTES_LENGTH = 2000
MAX_REASON_LENGTH = 500


def clean_money(value: float, field: str) -> Decimal | FieldProblem:
    """An amount as an exact Decimal, if finite, between 0 and the column's maximum, in cents."""
    problem = clean_total_price(value)
    if isinstance(problem, FieldProblem):
        return FieldProblem(field, problem.message)
    return problem


def clean_items(items: Sequence[ItemInput]) -> list[CleanItem] | list[FieldProblem]:
    """The order lines, or a problem per bad field (`items[1].quantity`); skus not repeated."""
    if not 1 <= len(items) <= MAX_ITEMS:
        return [FieldProblem("items", f"must hold 1 to {MAX_ITEMS} items")]
    clean: list[CleanItem] = []
    problems: list[FieldProblem] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"items[{index}]"
        sku = clean_product_id(item.product_id)
        quantity = clean_quantity(item.quantity)
        unit_price = clean_money(item.unit_price, f"{where}.unitPrice")
        for value in (sku, quantity):
            if isinstance(value, FieldProblem):
                problems.append(FieldProblem(f"{where}.{value.field}", value.message))
        if isinstance(unit_price, FieldProblem):
            problems.append(unit_price)
        if isinstance(sku, str):
            if sku in seen:
                # Never repeat a submitted value in an error: the field path says which.
                message = "repeats a product already in the order; add up the quantities"
                problems.append(FieldProblem(f"{where}.productId", message))
            seen.add(sku)
        if not problems:
            assert isinstance(sku, str) and isinstance(quantity, int)
            assert isinstance(unit_price, Decimal)
            clean.append(CleanItem(sku, quantity, unit_price))
    return problems or clean


def clean_optional_text(value: str | None, field: str, limit: int) -> str | FieldProblem | None:
    """Free text trimmed (None when absent or blank), if at most `limit` characters."""
    text = (value or "").strip()
    if len(text) > limit:
        return FieldProblem(field, f"must be at most {limit} characters")
    return text or None


def unit_price_of(total_price: Decimal, quantity: int) -> Decimal:
    """The single-product form's unit price: the total over the quantity, rounded to cents."""
    return (total_price / quantity).quantize(CENT, rounding=ROUND_HALF_UP)

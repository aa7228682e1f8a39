"""Rules for order input: each returns the clean value or a FieldProblem naming the field."""

from __future__ import annotations

import math
from decimal import Decimal

from common.errors import FieldProblem
from subgraphs.kit.ids import parse_id

MAX_PRODUCT_ID_LENGTH = 64
MIN_QUANTITY, MAX_QUANTITY = 1, 10_000
#: Numeric(12, 2): ten digits before the point.
MAX_TOTAL_PRICE = Decimal("9999999999.99")
CENT = Decimal("0.01")


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

"""Rules for order input: each returns the clean value or a FieldProblem naming the field.

Prices are not input: the catalogue prices an order (`saga.py`). The original API's `unitPrice`
and `totalPrice` are accepted and ignored, so no rule here reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, Protocol

from common.errors import FieldProblem, ValidationFailed
from subgraphs.kit.idempotency import clean_idempotency_key
from subgraphs.kit.ids import parse_id
from subgraphs.kit.text import optional_text, required_text

MAX_PRODUCT_ID_LENGTH = 64
MIN_QUANTITY, MAX_QUANTITY = 1, 10_000
#: Numeric(12, 2): ten digits before the point.
MAX_TOTAL_PRICE = Decimal("9999999999.99")
CENT = Decimal("0.01")


class ItemInput(Protocol):
    """An order line as the client gives it (the GraphQL input; its price is ignored)."""

    product_id: str
    quantity: int


class CleanItem(NamedTuple):
    """A validated order line: a product and how many; the catalogue prices it later."""

    sku: str
    quantity: int


def clean_user_id(value: object) -> int | FieldProblem:
    """The user's row id. The users subgraph is not asked whether the user exists."""
    user_id = parse_id(value)
    if user_id is None:
        return FieldProblem("userId", "must be the id of a user (a positive whole number)")
    return user_id


def clean_product_id(value: str) -> str | FieldProblem:
    """The product id trimmed, if 1 to 64 characters remain."""
    return required_text(value, "productId", MAX_PRODUCT_ID_LENGTH)


def clean_quantity(value: int) -> int | FieldProblem:
    """The quantity, if between 1 and 10000."""
    if not MIN_QUANTITY <= value <= MAX_QUANTITY:
        return FieldProblem("quantity", f"must be between {MIN_QUANTITY} and {MAX_QUANTITY}")
    return value


MAX_ITEMS = 100
MAX_SHIPPING_ADDRESS_LENGTH = 500
MAX_NOTES_LENGTH = 2000
MAX_REASON_LENGTH = 500
SINGLE_PRODUCT_FIELDS = ("productId", "quantity")


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
        for value in (sku, quantity):
            if isinstance(value, FieldProblem):
                problems.append(FieldProblem(f"{where}.{value.field}", value.message))
        if isinstance(sku, str):
            if sku in seen:
                # Never repeat a submitted value in an error: the field path says which.
                message = "repeats a product already in the order; add up the quantities"
                problems.append(FieldProblem(f"{where}.productId", message))
            seen.add(sku)
        if not problems:
            assert isinstance(sku, str) and isinstance(quantity, int)
            clean.append(CleanItem(sku, quantity))
    return problems or clean


def clean_order(
    user_id: object,
    product_id: str | None,
    quantity: int | None,
    items: Sequence[ItemInput] | None,
    shipping_address: str | None,
    notes: str | None,
    idempotency_key: str | None,
) -> tuple[dict[str, Any], list[CleanItem]]:
    """The order's columns and lines from either input form, or VALIDATION_FAILED naming fields.

    The single-product form is `productId` and `quantity`. Prices are not taken: the original
    API's `totalPrice` and `unitPrice` are ignored, and the catalogue prices the order."""
    problems: list[FieldProblem] = []
    values: dict[str, Any] = {}

    def take(name: str, value: Any) -> None:
        if isinstance(value, FieldProblem):
            problems.append(value)
        else:
            values[name] = value

    take("user_id", user_id if isinstance(user_id, FieldProblem) else clean_user_id(user_id))
    single = {"productId": product_id, "quantity": quantity}
    lines: list[CleanItem] = []
    if items is not None and any(value is not None for value in single.values()):
        either = ", ".join(SINGLE_PRODUCT_FIELDS)
        problems.append(FieldProblem("items", f"give either items or {either}, not both"))
    elif items is not None:
        clean = clean_items(items)
        if clean and isinstance(clean[0], FieldProblem):
            problems.extend(p for p in clean if isinstance(p, FieldProblem))
        else:
            lines = [line for line in clean if isinstance(line, CleanItem)]
    elif product_id is None and quantity is None:
        problems.append(
            FieldProblem("items", f"give items, or {' and '.join(SINGLE_PRODUCT_FIELDS)}")
        )
    else:
        for name, given in single.items():
            if given is None:
                problems.append(FieldProblem(name, "is required with the single-product form"))
        sku = clean_product_id(product_id) if product_id is not None else None
        count = clean_quantity(quantity) if quantity is not None else None
        for clean_value in (sku, count):
            if isinstance(clean_value, FieldProblem):
                problems.append(clean_value)
        if not problems:
            assert isinstance(sku, str) and isinstance(count, int)
            lines = [CleanItem(sku, count)]
    take(
        "shipping_address",
        optional_text(shipping_address, "shippingAddress", MAX_SHIPPING_ADDRESS_LENGTH),
    )
    take("notes", optional_text(notes, "notes", MAX_NOTES_LENGTH))
    take("idempotency_key", clean_idempotency_key(idempotency_key))
    if problems:
        # userId first, then the fields in input order, as clients read them.
        raise ValidationFailed.of(problems)
    return values, lines


def catalogue_prices(items: object) -> dict[str, Decimal]:
    """The unit price of each sku in the inventory's `inventory.reserved` items; ValueError when
    one is missing or is not an amount in whole cents (the event is then retried, then parked)."""
    if not isinstance(items, list) or not items:
        raise ValueError("inventory.reserved carries no items")
    prices: dict[str, Decimal] = {}
    for item in items:
        if not isinstance(item, Mapping) or not isinstance(item.get("sku"), str):
            raise ValueError(f"inventory.reserved item without a sku: {item!r}")
        try:
            price = Decimal(str(item.get("unit_price")))
        except (InvalidOperation, ValueError):
            price = Decimal("NaN")
        if not price.is_finite() or price < 0 or price != price.quantize(CENT):
            raise ValueError(f"inventory.reserved item without a price: {item!r}")
        prices[item["sku"]] = price
    return prices

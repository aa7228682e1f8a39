"""Product rules: who may change what, validation, unique skus, a stock never below 0; one
transaction per change.

A service acts for one caller (`Identity`, or None for an anonymous one). Reading the catalogue
is for everyone; creating and changing products needs the admin role, adjusting the stock the
admin or service role (UNAUTHENTICATED without a caller, FORBIDDEN for another role, checked
before anything is looked up). A stock adjustment emits `product.stock_adjusted`, with the
caller's subject as the event's actor, in the transaction of the change.

Stock held for orders is the inventory consumer's business (`inventory.py`): events, not
callers, drive it, so these rules do not apply to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError

from common.errors import (
    Conflict,
    FieldProblem,
    NotFound,
    ValidationFailed,
)
from subgraphs.kit.clock import Clock, utc_now
from subgraphs.kit.database import RequestDb
from subgraphs.kit.events import emit
from subgraphs.kit.identity import ADMIN, SERVICE, Identity, caller_with_role
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import Page, page_request
from subgraphs.kit.text import clean_search
from subgraphs.kit.updates import KEEP
from subgraphs.kit.validation import require_valid
from subgraphs.products import repository
from subgraphs.products.models import ProductRow, outbox
from subgraphs.products.validation import (
    MAX_STOCK,
    clean_active,
    clean_delta,
    clean_description,
    clean_name,
    clean_price,
    clean_price_range,
    clean_reason,
    clean_sku,
    clean_stock,
)

_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "sku": clean_sku,
    "name": clean_name,
    "description": clean_description,
    "price": clean_price,
    "active": clean_active,
}


def not_found(product_id: object) -> NotFound:
    """The error for an id that names no product."""
    return NotFound(f"No product with id {product_id!s}.", field="id")


def duplicate_sku() -> Conflict:
    """The error for a sku another product already has."""
    return Conflict("A product with this sku already exists; use another sku.", field="sku")


#: The event a stock adjustment emits (entity `Product`, the product id).
STOCK_ADJUSTED = "product.stock_adjusted"


def require_role(caller: Identity | None, *roles: str, doing: str) -> Identity:
    """The caller when it holds one of `roles`; UNAUTHENTICATED without a caller, FORBIDDEN
    otherwise, both naming the roles needed."""
    return caller_with_role(caller, *roles, doing=doing)


class ProductService:
    """What `caller` (None: an anonymous caller) may do with products, over the request's
    session."""

    def __init__(
        self, db: RequestDb, *, caller: Identity | None = None, clock: Clock = utc_now
    ) -> None:
        self.db = db
        self.caller = caller
        self.clock = clock

    async def get_many(self, product_ids: Sequence[int]) -> list[ProductRow | None]:
        """Products in the order of `product_ids` (None where missing), in one query."""
        async with self.db.read() as session:
            found = await repository.get_many(session, list(set(product_ids)))
        return [found.get(product_id) for product_id in product_ids]

    async def get_many_by_sku(self, skus: Sequence[str]) -> list[ProductRow | None]:
        """Products in the order of `skus` (normalised; None where missing), in one query."""
        async with self.db.read() as session:
            found = await repository.get_many_by_sku(session, list(set(skus)))
        return [found.get(sku) for sku in skus]

    async def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        search: str | None = None,
        min_price: float | None = None,
        max_price: float | None = None,
        in_stock: bool | None = None,
        active: bool | None = None,
    ) -> Page[ProductRow]:
        """A page of products by id; `search` matches name, sku or description, any case."""
        problems: list[FieldProblem] = []
        try:
            request = page_request(page, page_size)
        except ValidationFailed as exc:
            problems.extend(exc.problems)
        bounds = clean_price_range(min_price, max_price)
        if isinstance(bounds, list):
            problems.extend(bounds)
        text = clean_search(search)
        if isinstance(text, FieldProblem):
            problems.append(text)
        if problems:
            raise ValidationFailed.of(problems)
        assert not isinstance(bounds, list) and not isinstance(text, FieldProblem)
        low, high = bounds
        async with self.db.read() as session:
            return await repository.list_page(
                session,
                request,
                search=text,
                min_price=low,
                max_price=high,
                in_stock=in_stock,
                active=active,
            )

    async def create(
        self,
        *,
        sku: str,
        name: str,
        price: float,
        description: str | None = None,
        stock: int = 0,
        active: bool = True,
    ) -> ProductRow:
        """A new product; VALIDATION_FAILED for bad input, CONFLICT for a taken sku.

        Admin only (UNAUTHENTICATED, FORBIDDEN)."""
        require_role(self.caller, ADMIN, doing="creating a product")
        values = require_valid(
            {
                "sku": clean_sku(sku),
                "name": clean_name(name),
                "description": clean_description(description),
                "price": clean_price(price),
                "stock": clean_stock(stock),
                "active": clean_active(active),
            }
        )
        now = self.clock()
        row = ProductRow(**values, created_at=now, updated_at=now)
        try:
            async with self.db.write() as session:
                if await repository.find_by_sku(session, values["sku"]):
                    raise duplicate_sku()
                repository.add(session, row)
                await session.flush()
        except IntegrityError:
            # Another request took the sku between our check and our insert.
            raise duplicate_sku() from None
        return row

    async def update(self, product_id: object, **given: Any) -> ProductRow:
        """Change only the fields given (KEEP leaves one as it is); stock changes elsewhere.

        Admin only (UNAUTHENTICATED, FORBIDDEN)."""
        require_role(self.caller, ADMIN, doing="changing a product")
        row_id = parse_id(product_id)
        if row_id is None:
            raise not_found(product_id)
        changes = require_valid(
            {key: _CLEANERS[key](value) for key, value in given.items() if value is not KEEP}
        )
        try:
            async with self.db.write() as session:
                row = await repository.get(session, row_id)
                if row is None:
                    raise not_found(product_id)
                renamed = "sku" in changes and changes["sku"] != row.sku
                if renamed and await repository.find_by_sku(session, changes["sku"]) is not None:
                    raise duplicate_sku()
                for key, value in changes.items():
                    setattr(row, key, value)
                row.updated_at = self.clock()
                await session.flush()
        except IntegrityError:
            raise duplicate_sku() from None
        return row

    async def adjust_inventory(self, product_id: object, delta: int, reason: str) -> ProductRow:
        """Add `delta` (negative removes) to the stock; CONFLICT if it would go below 0.

        Admins and services only (UNAUTHENTICATED, FORBIDDEN). Emits `product.stock_adjusted`
        (payload `product_id`, `sku`, `delta`, `reason`, `stock` after) with the caller as
        actor, committed with the change."""
        caller = require_role(self.caller, ADMIN, SERVICE, doing="adjusting the stock")
        row_id = parse_id(product_id)
        if row_id is None:
            raise not_found(product_id)
        values = require_valid({"delta": clean_delta(delta), "reason": clean_reason(reason)})
        async with self.db.write() as session:
            row = await repository.get(session, row_id)
            if row is None:
                raise not_found(product_id)
            done = await repository.change_stock(
                session, row_id, values["delta"], now=self.clock(), maximum=MAX_STOCK
            )
            # Read the stock the statement left (or found), not the one loaded before it.
            await session.refresh(row)
            if not done:
                raise _refused_adjustment(row, values["delta"])
            await emit(
                session,
                outbox,
                source="products",
                type=STOCK_ADJUSTED,
                entity_type="Product",
                entity_id=format_id(row.id),
                payload={
                    "product_id": format_id(row.id),
                    "sku": row.sku,
                    "delta": values["delta"],
                    "reason": values["reason"],
                    "stock": row.stock,
                },
                actor=caller.subject,
            )
        return row


def _refused_adjustment(row: ProductRow, delta: int) -> Conflict:
    if delta < 0:
        message = (
            f"Cannot remove {-delta} from the stock of {row.sku}: only {row.stock} in stock; "
            f"the stock never goes below 0."
        )
    else:
        message = f"Cannot add {delta} to the stock of {row.sku}: at most {MAX_STOCK} fit."
    return Conflict(message, field="delta")

"""The inventory side of the order saga: reserve stock for new orders, give it back once.

`apply_inventory_event` runs inside the event consumer's transaction, with the processed-event
row: the stock change, the reservation rows and the event it emits commit together or not at all.

- `order.created`: reserve every item or none; emit `inventory.reserved` with each sku's
  catalogue price and the order's total (this is where an order is priced: clients send no
  prices), or `inventory.rejected` with a reason naming each sku and what is missing (unknown,
  inactive, not enough stock, a total beyond what an order may hold).
- `order.status_changed` to CANCELLED, and `payment.refunded`: release the order's reservations
  (each row flips from reserved to released once) and emit `inventory.released`; nothing to
  release (rejected, never reserved, released already) is not an error and emits nothing.

Every answer carries the actor of the event it answers (whoever placed or cancelled the order,
whoever refunded the payment), so the audit log and the order's next status change keep who
set them off. No caller's access rules apply here: events, not callers, drive the saga.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.events import Event
from common.logging import get_logger
from subgraphs.kit.clock import utc_now
from subgraphs.kit.events import ConsumerSpec, emit
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.products import repository
from subgraphs.products.models import ReservationRow, ReservationStatus, outbox
from subgraphs.products.validation import MAX_PRICE, MAX_STOCK, normalise_sku

logger = get_logger(__name__)

ORDER_CREATED = "order.created"
ORDER_STATUS_CHANGED = "order.status_changed"
PAYMENT_REFUNDED = "payment.refunded"
CANCELLED = "CANCELLED"


async def apply_inventory_event(session: AsyncSession, event: Event) -> None:
    """The consumer's handler: dispatch on the event type."""
    payload = event.payload
    if event.type == ORDER_CREATED:
        await reserve(session, _order_id(event), payload.get("items"), actor=event.actor)
    elif event.type == ORDER_STATUS_CHANGED:
        if payload.get("to") == CANCELLED:
            reason = payload.get("reason") or "order cancelled"
            await release(
                session, _order_id(event), f"order cancelled: {reason}", actor=event.actor
            )
    elif event.type == PAYMENT_REFUNDED:
        await release(session, _order_id(event), "payment refunded", actor=event.actor)


#: The consumer group of this subgraph and the events it applies.
INVENTORY_CONSUMER = ConsumerSpec(
    group="products",
    types=frozenset({ORDER_CREATED, ORDER_STATUS_CHANGED, PAYMENT_REFUNDED}),
    handler=apply_inventory_event,
)


def _order_id(event: Event) -> int:
    order_id = parse_id(event.payload.get("order_id"))
    if order_id is None:
        # Retried, then parked by the consumer: there is no order to answer.
        raise ValueError(f"{event.type} {event.id} names no order_id")
    return order_id


def _requested(items: Any) -> tuple[Counter[str], list[str]]:
    """Quantities per sku (repeated skus add up), and what is wrong with the items."""
    wanted: Counter[str] = Counter()
    problems: list[str] = []
    if not isinstance(items, list) or not items:
        return wanted, ["the order has no items"]
    for index, item in enumerate(items):
        sku = item.get("sku") if isinstance(item, dict) else None
        quantity = item.get("quantity") if isinstance(item, dict) else None
        if not isinstance(sku, str) or not sku.strip():
            problems.append(f"item {index + 1} names no sku")
        elif (
            not isinstance(quantity, int)
            or isinstance(quantity, bool)
            or not 0 < quantity <= MAX_STOCK
        ):
            problems.append(f"{sku}: quantity {quantity!r} is not a positive whole number")
        else:
            wanted[normalise_sku(sku)] += quantity
    return wanted, problems


async def reserve(
    session: AsyncSession, order_id: int, items: Any, *, actor: str | None = None
) -> None:
    """Hold stock for every item of the order, or for none, and say which happened (the answer's
    actor: `actor`)."""
    if await repository.reservations_of(session, order_id):
        logger.info("order already has reservations; nothing to do", extra={"order_id": order_id})
        return
    wanted, problems = _requested(items)
    products = await repository.get_many_by_sku(session, sorted(wanted), lock=True)
    for sku, quantity in sorted(wanted.items()):
        product = products.get(sku)
        if product is None:
            problems.append(f"unknown sku {sku}")
        elif not product.active:
            problems.append(f"{sku} is not available (inactive)")
        elif product.stock < quantity:
            problems.append(
                f"insufficient stock for {sku}: {quantity} requested, {product.stock} available"
            )
    requested = [{"sku": sku, "quantity": quantity} for sku, quantity in sorted(wanted.items())]
    total = Decimal("0.00")
    if not problems:
        total = sum((products[sku].price * n for sku, n in wanted.items()), Decimal("0.00"))
        if total > MAX_PRICE:
            problems.append(f"the order's total {total} is more than an order may hold")
    if problems:
        await _emit(
            session,
            "inventory.rejected",
            order_id,
            actor,
            reason="; ".join(problems),
            items=requested,
        )
        return
    now = utc_now()
    for sku, quantity in sorted(wanted.items()):
        product = products[sku]
        # The rows are locked (PostgreSQL) or the database is (SQLite): this cannot fail unless
        # something bypassed the lock, and then the whole event is retried.
        if not await repository.change_stock(
            session, product.id, -quantity, now=now, maximum=MAX_STOCK
        ):
            raise RuntimeError(f"stock of {sku} changed under a reservation; retrying")
        session.add(
            ReservationRow(
                order_id=order_id,
                product_id=product.id,
                sku=sku,
                quantity=quantity,
                unit_price=product.price,
                status=ReservationStatus.RESERVED,
                created_at=now,
            )
        )
    await session.flush()
    priced = [
        {"sku": sku, "quantity": quantity, "unit_price": _money(products[sku].price)}
        for sku, quantity in sorted(wanted.items())
    ]
    await _emit(
        session, "inventory.reserved", order_id, actor, items=priced, total_amount=_money(total)
    )


async def release(
    session: AsyncSession, order_id: int, reason: str, *, actor: str | None = None
) -> None:
    """Give back the stock the order still holds, exactly once per reservation row (the
    answer's actor: `actor`)."""
    now = utc_now()
    released: list[dict[str, Any]] = []
    for row in await repository.reservations_of(session, order_id):
        if row.status is not ReservationStatus.RESERVED:
            continue
        # The conditional flip makes a concurrent second release find nothing to give back.
        if await repository.mark_released(session, row.id, now=now):
            if not await repository.change_stock(
                session, row.product_id, row.quantity, now=now, maximum=MAX_STOCK
            ):
                raise RuntimeError(f"stock of {row.sku} cannot take back {row.quantity}")
            released.append({"sku": row.sku, "quantity": row.quantity})
    if released:
        await _emit(session, "inventory.released", order_id, actor, items=released, reason=reason)


def _money(amount: Decimal) -> str:
    """An amount in an event payload: a decimal string with cents ("19.99")."""
    return str(amount.quantize(Decimal("0.01")))


async def _emit(
    session: AsyncSession, type: str, order_id: int, actor: str | None, **payload: Any
) -> None:
    await emit(
        session,
        outbox,
        source="products",
        type=type,
        entity_type="Order",
        entity_id=format_id(order_id),
        payload={"order_id": format_id(order_id), **payload},
        actor=actor,
    )

"""Deterministic demo payments, inserted only into empty tables (fresh databases get ids 1..7).

They pay some of the orders subgraph's demo orders. Seeded orders never announce themselves
with `order.created`, so the read model gets their rows here: `SEEDED_ORDERS` repeats the few
demo orders it needs (a unit test checks them against the orders seed).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.payments import repository
from subgraphs.payments.models import OrderTotalRow, PaymentMethod, PaymentRow, PaymentStatus

#: Fixed times keep the demo data identical on every machine (after the demo orders).
SEED_EPOCH = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)

#: (order id, user id, total, order status) of the demo orders payments knows of.
SEEDED_ORDERS: tuple[tuple[int, int, str, str], ...] = (
    (1, 1, "4.99", "DELIVERED"),
    (2, 6, "54.98", "SHIPPED"),
    (3, 11, "149.97", "CANCELLED"),
    (4, 4, "289.96", "CONFIRMED"),
    (5, 9, "19.99", "DELIVERED"),
    (6, 2, "84.98", "PENDING"),
    (7, 7, "194.97", "DELIVERED"),
    # Known but unpaid: a demo order to pay.
    (12, 8, "109.96", "PENDING"),
)

M, P = PaymentMethod, PaymentStatus
#: (order id, method, status, failure or refund reason), in payment id order.
DEMO_PAYMENTS: tuple[tuple[int, PaymentMethod, PaymentStatus, str | None], ...] = (
    (1, M.CARD, P.SUCCEEDED, None),
    (2, M.WALLET, P.SUCCEEDED, None),
    (3, M.CARD, P.FAILED, "card declined: test token tok_fail_demo"),
    (4, M.BANK_TRANSFER, P.SUCCEEDED, None),
    (5, M.CARD, P.REFUNDED, "Item arrived damaged"),
    (6, M.CARD, P.PENDING, None),
    (7, M.CARD, P.SUCCEEDED, None),
)


def demo_payment(payment_id: int, order: tuple[int, int, str, str]) -> PaymentRow:
    """The demo payment `payment_id` of a seeded order."""
    order_id, user_id, total, _ = order
    _, method, status, reason = DEMO_PAYMENTS[payment_id - 1]
    created = SEED_EPOCH + timedelta(hours=5 * payment_id)
    charged = status in (P.SUCCEEDED, P.REFUNDED)
    return PaymentRow(
        order_id=order_id,
        user_id=user_id,
        amount=Decimal(total),
        currency="USD",
        method=method,
        status=status,
        card_token="tok_fail_demo" if status is P.FAILED else None,
        provider_reference=f"fake_ch_{payment_id}" if charged else None,
        failure_reason=reason if status is P.FAILED else None,
        refund_reason=reason if status is P.REFUNDED else None,
        created_at=created,
        updated_at=created + timedelta(minutes=1) if status is not P.PENDING else created,
    )


async def seed_payments(session: AsyncSession) -> int:
    """Insert the demo read model and payments into empty tables; returns rows inserted."""
    inserted = 0
    if not await session.scalar(select(func.count()).select_from(OrderTotalRow)):
        for order_id, user_id, total, status in SEEDED_ORDERS:
            repository.add(
                session,
                OrderTotalRow(
                    order_id=order_id,
                    user_id=user_id,
                    total_amount=Decimal(total),
                    status=status,
                    updated_at=SEED_EPOCH,
                ),
            )
            inserted += 1
        await session.flush()
    if await repository.count_all(session):
        return inserted
    orders = {order[0]: order for order in SEEDED_ORDERS}
    for payment_id, (order_id, *_) in enumerate(DEMO_PAYMENTS, start=1):
        repository.add(session, demo_payment(payment_id, orders[order_id]))
        # One flush per row so ids follow the list order on every backend.
        await session.flush()
    return inserted + len(DEMO_PAYMENTS)

"""The orders tables: orders, their items, and the event tables."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, Enum, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from common.events.outbox import outbox_table, processed_events_table
from subgraphs.kit.database import service_metadata
from subgraphs.kit.idempotency import idempotency_table


class OrdersBase(Base):
    """Declarative base of the orders database (its own metadata, its own migrations)."""

    __abstract__ = True
    metadata = service_metadata()


class OrderStatus(enum.StrEnum):
    """Where an order is in its life; `service.NEXT_STATUSES` says how it may move."""

    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


class OrderRow(OrdersBase):
    """An order by one user; `deleted_at` set means soft-deleted.

    `product_id` and `quantity` repeat the first item's sku and quantity, and `total_price` is
    the order's total, for clients of the single-product form. The total is null until the
    inventory has priced the order from the catalogue (`saga.py`).
    """

    __tablename__ = "orders"
    __table_args__ = (
        # A user's orders, newest first (User.orders).
        Index("ix_orders_user_id_created_at", "user_id", "created_at"),
        Index("ix_orders_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: A user of the users subgraph; another database, so no foreign key.
    user_id: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    total_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # A string column, not a native enum, so that adding a status is a plain migration.
    status: Mapped[OrderStatus] = mapped_column(
        Enum(OrderStatus, name="order_status", native_enum=False, length=16)
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shipping_address: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    #: Why the order was cancelled (a rejection by the inventory, or the canceller's reason).
    cancellation_reason: Mapped[str | None] = mapped_column(String(1000))


class OrderItemRow(OrdersBase):
    """One line of an order: a product (by sku), how many, at what unit price (the catalogue's,
    null until the inventory has priced the order)."""

    __tablename__ = "order_items"
    __table_args__ = (Index("ix_order_items_order_id", "order_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    #: 0-based place of the line in the order, as the client gave it.
    position: Mapped[int] = mapped_column(Integer)
    #: A product of the products subgraph; another database, so no foreign key.
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))


#: Events this subgraph emits (order.*), sent by the relay.
outbox = outbox_table(OrdersBase.metadata)
#: Events the saga consumer has applied, once each.
processed_events = processed_events_table(OrdersBase.metadata)
#: The idempotency keys of placed orders (`entity_id`: the order), unique per caller and key.
idempotency_keys = idempotency_table(OrdersBase.metadata)

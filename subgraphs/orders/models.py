"""The orders tables."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, Enum, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from subgraphs.kit.database import service_metadata


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
    """An order of one product by one user; `deleted_at` set means soft-deleted."""

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
    total_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    # A string column, not a native enum, so that adding a status is a plain migration.
    status: Mapped[OrderStatus] = mapped_column(
        Enum(OrderStatus, name="order_status", native_enum=False, length=16)
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

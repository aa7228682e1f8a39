"""The products tables: the catalogue, stock reservations per order, and the event tables."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from common.events.outbox import outbox_table, processed_events_table
from subgraphs.kit.database import service_metadata


class ProductsBase(Base):
    """Declarative base of the products database (its own metadata, its own migrations)."""

    __abstract__ = True
    metadata = service_metadata()


class ProductRow(ProductsBase):
    """A product of the catalogue and how many of it are in stock (never below 0)."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("sku"),
        # The database refuses a negative stock even if a code path forgot to check.
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        Index("ix_products_price", "price"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: Upper-case A-Z, 0-9, - and _; orders name products by it.
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    stock: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReservationStatus(enum.StrEnum):
    """A reservation holds stock for an order until it is released (once)."""

    RESERVED = "reserved"
    RELEASED = "released"


class ReservationRow(ProductsBase):
    """Stock of one product held for one order; releasing it gives exactly this quantity back."""

    __tablename__ = "reservations"
    __table_args__ = (
        # One row per product and order: a second reservation of the same order is a bug.
        UniqueConstraint("order_id", "product_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: An order of the orders subgraph; another database, so no foreign key.
    order_id: Mapped[int] = mapped_column(Integer)
    #: The product itself, so a later sku change cannot misdirect a release.
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    #: The sku as the order named it (for events and people).
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    #: The catalogue's price of one unit when the stock was reserved: the price the order pays
    #: (null for reservations made before orders were priced here).
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    status: Mapped[ReservationStatus] = mapped_column(
        Enum(
            ReservationStatus,
            name="reservation_status",
            native_enum=False,
            length=16,
            values_callable=lambda statuses: [status.value for status in statuses],
        )
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


#: Events this subgraph emits (inventory.*), sent by the relay.
outbox = outbox_table(ProductsBase.metadata)
#: Events the inventory consumer has applied, once each.
processed_events = processed_events_table(ProductsBase.metadata)

"""The payments tables: payments, the order_totals read model, the outbox, processed events."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, Enum, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from common.db import Base
from common.events.outbox import outbox_table, processed_events_table
from subgraphs.kit.database import service_metadata
from subgraphs.kit.idempotency import idempotency_table

#: Payments in this state do not block a new payment for the same order.
NOT_FAILED = "status <> 'FAILED'"


class PaymentsBase(Base):
    """Declarative base of the payments database (its own metadata, its own migrations)."""

    __abstract__ = True
    metadata = service_metadata()


class PaymentStatus(enum.StrEnum):
    """Where a payment is; `service.NEXT_STATUSES` says how it may move."""

    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    REFUNDED = "REFUNDED"


class PaymentMethod(enum.StrEnum):
    """How the customer pays."""

    CARD = "CARD"
    BANK_TRANSFER = "BANK_TRANSFER"
    WALLET = "WALLET"


class PaymentRow(PaymentsBase):
    """A payment of one order's total; payments are never deleted."""

    __tablename__ = "payments"
    __table_args__ = (
        # At most one payment per order that has not failed: the database backs the service check.
        Index(
            "uq_payments_order_id_not_failed",
            "order_id",
            unique=True,
            sqlite_where=text(NOT_FAILED),
            postgresql_where=text(NOT_FAILED),
        ),
        Index("ix_payments_order_id", "order_id"),
        Index("ix_payments_user_id", "user_id"),
        Index("ix_payments_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: An order of the orders subgraph; another database, so no foreign key.
    order_id: Mapped[int] = mapped_column(Integer)
    #: The order's user, from the read model.
    user_id: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[PaymentMethod] = mapped_column(
        Enum(PaymentMethod, name="payment_method", native_enum=False, length=16)
    )
    # A string column, not a native enum, so that adding a status is a plain migration.
    status: Mapped[PaymentStatus] = mapped_column(
        Enum(PaymentStatus, name="payment_status", native_enum=False, length=16)
    )
    #: The provider's token for the card (never served through GraphQL).
    card_token: Mapped[str | None] = mapped_column(String(64))
    provider_reference: Mapped[str | None] = mapped_column(String(100))
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    refund_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OrderTotalRow(PaymentsBase):
    """What payments knows of an order, from `order.created` and `order.status_changed` events.

    `total_amount` is the catalogue total the orders subgraph announces once the inventory has
    priced the order (with its confirmation); null until then, and the order cannot be paid."""

    __tablename__ = "order_totals"

    order_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(Integer)
    total_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    #: The order's status as the orders subgraph last announced it (a plain string: their enum).
    status: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


outbox = outbox_table(PaymentsBase.metadata)
processed_events = processed_events_table(PaymentsBase.metadata)
#: The idempotency keys of payment writes (`entity_id`: the payment), unique per caller and key.
idempotency_keys = idempotency_table(PaymentsBase.metadata)

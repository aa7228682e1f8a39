"""Prices unknown until the catalogue sets them; idempotency keys of placed orders.

`orders.total_price` and `order_items.unit_price` become nullable: an order has no price until
the inventory prices it from the catalogue (clients no longer send prices). Existing orders keep
the prices they have. `idempotency_keys` holds each caller's keys, unique per caller and key.

Revision ID: 0003
Revises: 0002
Create Date: 2025-06-01 00:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=12, scale=2)


def upgrade() -> None:
    """Let prices be null; add the idempotency keys."""
    with op.batch_alter_table("orders") as batch:
        batch.alter_column("total_price", existing_type=MONEY, nullable=True)
    with op.batch_alter_table("order_items") as batch:
        batch.alter_column("unit_price", existing_type=MONEY, nullable=True)
    op.create_table(
        "idempotency_keys",
        sa.Column("caller", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("operation", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("caller", "key", name=op.f("pk_idempotency_keys")),
    )


def downgrade() -> None:
    """Drop the keys; unpriced orders get 0 prices so the columns can be NOT NULL again."""
    op.drop_table("idempotency_keys")
    op.execute("UPDATE order_items SET unit_price = 0 WHERE unit_price IS NULL")
    op.execute("UPDATE orders SET total_price = 0 WHERE total_price IS NULL")
    with op.batch_alter_table("order_items") as batch:
        batch.alter_column("unit_price", existing_type=MONEY, nullable=False)
    with op.batch_alter_table("orders") as batch:
        batch.alter_column("total_price", existing_type=MONEY, nullable=False)

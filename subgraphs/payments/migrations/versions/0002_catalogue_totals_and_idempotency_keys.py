"""Order totals unknown until the catalogue prices the order; idempotency keys of payment writes.

`order_totals.total_amount` becomes nullable: payments learns an order's total with its
confirmation, no longer from its creation (whose total a client chose). Existing rows keep
theirs. `idempotency_keys` holds each caller's keys, unique per caller and key.

Revision ID: 0002
Revises: 0001
Create Date: 2025-06-01 00:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(precision=12, scale=2)


def upgrade() -> None:
    """Let totals be null; add the idempotency keys."""
    with op.batch_alter_table("order_totals") as batch:
        batch.alter_column("total_amount", existing_type=MONEY, nullable=True)
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
    """Drop the keys; totals not known yet become 0 so the column can be NOT NULL again."""
    op.drop_table("idempotency_keys")
    op.execute("UPDATE order_totals SET total_amount = 0 WHERE total_amount IS NULL")
    with op.batch_alter_table("order_totals") as batch:
        batch.alter_column("total_amount", existing_type=MONEY, nullable=False)

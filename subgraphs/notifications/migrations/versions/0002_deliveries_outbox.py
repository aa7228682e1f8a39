"""Deliveries become an outbox: stored PENDING with the notification, sent after the commit.

`deliveries` gains `created_at` (existing rows: their `sent_at`), `claimed_at` and `error`;
`sent_at` and `log` are null until a delivery is sent; an index serves the dispatcher's scan of
pending rows. Existing rows are SENT and stay so.

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

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add the outbox columns and the index."""
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("created_at", WHEN, nullable=True))
        batch.add_column(sa.Column("claimed_at", WHEN, nullable=True))
        batch.add_column(sa.Column("error", sa.Text(), nullable=True))
    op.execute("UPDATE deliveries SET created_at = sent_at")
    with op.batch_alter_table("deliveries") as batch:
        batch.alter_column("created_at", existing_type=WHEN, nullable=False)
        batch.alter_column("sent_at", existing_type=WHEN, nullable=True)
        batch.alter_column("log", existing_type=sa.Text(), nullable=True)
    op.create_index("ix_deliveries_status_id", "deliveries", ["status", "id"])


def downgrade() -> None:
    """Drop what upgrade added; deliveries never sent are dropped (the old table had none)."""
    op.drop_index("ix_deliveries_status_id", table_name="deliveries")
    op.execute("DELETE FROM deliveries WHERE sent_at IS NULL OR log IS NULL")
    with op.batch_alter_table("deliveries") as batch:
        batch.alter_column("log", existing_type=sa.Text(), nullable=False)
        batch.alter_column("sent_at", existing_type=WHEN, nullable=False)
        batch.drop_column("error")
        batch.drop_column("claimed_at")
        batch.drop_column("created_at")

"""Each reservation keeps the catalogue price its order pays.

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


def upgrade() -> None:
    """Add `reservations.unit_price` (null for reservations made before orders were priced)."""
    with op.batch_alter_table("reservations") as batch:
        batch.add_column(sa.Column("unit_price", sa.Numeric(precision=12, scale=2), nullable=True))


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("reservations") as batch:
        batch.drop_column("unit_price")

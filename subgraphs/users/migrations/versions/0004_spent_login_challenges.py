"""Spent login challenges: each solved challenge lets one login attempt through.

Revision ID: 0004
Revises: 0003
Create Date: 2026-02-01 00:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table of spent challenges."""
    op.create_table(
        "spent_login_challenges",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spent_login_challenges")),
    )
    op.create_index(
        "ix_spent_login_challenges_expires_at", "spent_login_challenges", ["expires_at"]
    )


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_spent_login_challenges_expires_at", table_name="spent_login_challenges")
    op.drop_table("spent_login_challenges")

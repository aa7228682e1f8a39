"""Create the repositories table.

Revision ID: 0001
Revises:
Create Date: 2024-03-01 00:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VISIBILITIES = ("PRIVATE", "PUBLIC")


def upgrade() -> None:
    """Create repositories, names unique per owner among live (not soft-deleted) ones."""
    op.create_table(
        "repositories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column(
            "visibility",
            sa.Enum(*VISIBILITIES, name="repository_visibility", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repositories")),
    )
    op.create_index(
        "uq_repositories_owner_id_name_live",
        "repositories",
        ["owner_id", "name"],
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_index("ix_repositories_owner_id", "repositories", ["owner_id"])


def downgrade() -> None:
    """Drop repositories."""
    op.drop_index("ix_repositories_owner_id", table_name="repositories")
    op.drop_index("uq_repositories_owner_id_name_live", table_name="repositories")
    op.drop_table("repositories")

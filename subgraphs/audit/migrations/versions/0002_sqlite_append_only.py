"""Guard audit_log on SQLite too: triggers refuse every UPDATE and DELETE.

PostgreSQL got its guard in 0001; SQLite has no TRUNCATE, and a trigger raising ABORT refuses a
change with the message below, as PostgreSQL's does.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 00:00:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = {
    "audit_log_no_update": "UPDATE",
    "audit_log_no_delete": "DELETE",
}


def upgrade() -> None:
    """Create the SQLite triggers (PostgreSQL is guarded since 0001)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, operation in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {operation} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {operation} refused'); END"
        )


def downgrade() -> None:
    """Drop the SQLite triggers."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")

"""Sign-in: usernames, roles and password hashes on users; refresh tokens; failed logins.

Existing users get the role `user`, no password, and a username made from their email's local
part (`ada.lovelace@example.com` -> `ada.lovelace`, `-2`, `-3`... when taken).

Revision ID: 0003
Revises: 0002
Create Date: 2025-04-01 00:00:00

"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")


def _username_base(email: str) -> str:
    """A username from an email's local part (frozen copy of the rule at this revision)."""
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@", 1)[0].lower())
    base = re.sub(r"^[^a-z0-9]+", "", base)[:32]
    if len(base) < 3:
        base = f"{base}-user" if base else "user"
    return base


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = base[: 32 - len(suffix)] + suffix
    return candidate


def upgrade() -> None:
    """Add the columns, give every existing user a username, then the new tables."""
    users = sa.table(
        "users",
        sa.column("id", sa.Integer()),
        sa.column("email", sa.String()),
        sa.column("username", sa.String()),
    )
    op.add_column("users", sa.Column("username", sa.String(length=32), nullable=True))
    op.add_column(
        "users",
        sa.Column("role", sa.String(length=16), server_default="user", nullable=False),
    )
    op.add_column("users", sa.Column("password_hash", sa.String(length=255), nullable=True))
    connection = op.get_bind()
    taken: set[str] = set()
    for user_id, email in connection.execute(sa.select(users.c.id, users.c.email).order_by("id")):
        username = _unique(_username_base(email), taken)
        taken.add(username)
        connection.execute(users.update().where(users.c.id == user_id).values(username=username))
    # SQLite rebuilds the table to change a column; the partial index is put back explicitly.
    op.drop_index("uq_users_email_live", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.alter_column("username", existing_type=sa.String(length=32), nullable=False)
        batch.create_check_constraint("role", "role IN ('user', 'admin')")
    op.create_index(
        "uq_users_email_live",
        "users",
        ["email"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.create_index(
        "uq_users_username_live",
        "users",
        ["username"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_refresh_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_tokens_token_hash")),
    )
    op.create_index("ix_refresh_tokens_family_id", "refresh_tokens", ["family_id"])
    op.create_index("ix_refresh_tokens_user_id", "refresh_tokens", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_key_failed_at", "login_failures", ["key", "failed_at"])
    op.create_index("ix_login_failures_failed_at", "login_failures", ["failed_at"])


def downgrade() -> None:
    """Drop what upgrade added (every refresh token and password hash is lost)."""
    op.drop_index("ix_login_failures_failed_at", table_name="login_failures")
    op.drop_index("ix_login_failures_key_failed_at", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_index("ix_refresh_tokens_user_id", table_name="refresh_tokens")
    op.drop_index("ix_refresh_tokens_family_id", table_name="refresh_tokens")
    op.drop_table("refresh_tokens")
    op.drop_index("uq_users_username_live", table_name="users")
    op.drop_index("uq_users_email_live", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("role", type_="check")
        batch.drop_column("password_hash")
        batch.drop_column("role")
        batch.drop_column("username")
    op.create_index(
        "uq_users_email_live",
        "users",
        ["email"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )

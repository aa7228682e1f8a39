"""Alembic revisions of the notifications database."""

"""Alembic revisions of the payments database."""

"""Alembic revisions of the audit database."""

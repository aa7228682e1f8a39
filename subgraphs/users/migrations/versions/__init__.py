"""Alembic revisions of the users database."""

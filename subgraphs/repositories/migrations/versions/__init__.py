"""Alembic revisions of the repositories database."""

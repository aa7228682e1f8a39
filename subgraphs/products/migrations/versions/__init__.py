"""Alembic revisions of the products database."""

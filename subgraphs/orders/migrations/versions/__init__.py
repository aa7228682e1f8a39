"""Alembic revisions of the orders database."""

"""Alembic history of the notifications database (a package so that installs ship it)."""

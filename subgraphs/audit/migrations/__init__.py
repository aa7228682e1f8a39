"""Alembic history of the audit database (a package so that installs ship it)."""

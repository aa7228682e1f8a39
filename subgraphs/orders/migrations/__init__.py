"""Alembic history of the orders database (a package so that installs ship it)."""

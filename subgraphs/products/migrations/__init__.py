"""Alembic history of the products database (a package so that installs ship it)."""

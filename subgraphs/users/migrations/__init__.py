"""Alembic history of the users database (a package so that installs ship it)."""

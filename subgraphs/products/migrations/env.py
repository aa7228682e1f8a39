"""Alembic environment of the products database (configured by common.migrations.alembic_config)."""

from common.migrations import run_alembic_env
from subgraphs.products.models import ProductsBase

run_alembic_env(ProductsBase.metadata)

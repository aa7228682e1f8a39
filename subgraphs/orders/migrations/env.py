"""Alembic environment of the orders database (configured by common.migrations.alembic_config)."""

from common.migrations import run_alembic_env
from subgraphs.orders.models import OrdersBase

run_alembic_env(OrdersBase.metadata)

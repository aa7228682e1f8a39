"""Alembic environment of the payments database (configured by common.migrations.alembic_config)."""

from common.migrations import run_alembic_env
from subgraphs.payments.models import PaymentsBase

run_alembic_env(PaymentsBase.metadata)

"""Alembic environment of the audit database (configured by common.migrations.alembic_config)."""

from common.migrations import run_alembic_env
from subgraphs.audit.models import AuditBase

run_alembic_env(AuditBase.metadata)

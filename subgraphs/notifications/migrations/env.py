"""Alembic environment of the notifications database (see common.migrations.alembic_config)."""

from common.migrations import run_alembic_env
from subgraphs.notifications.models import NotificationsBase

run_alembic_env(NotificationsBase.metadata)

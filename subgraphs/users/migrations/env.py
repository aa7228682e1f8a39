"""Alembic environment of the users database (configured by common.migrations.alembic_config)."""

from common.migrations import run_alembic_env
from subgraphs.users.models import UsersBase

run_alembic_env(UsersBase.metadata)

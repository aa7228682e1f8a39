"""Alembic environment of the repositories database (configured by common.migrations)."""

from common.migrations import run_alembic_env
from subgraphs.repositories.models import RepositoriesBase

run_alembic_env(RepositoriesBase.metadata)

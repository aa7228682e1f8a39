"""The request's DataLoaders: lookups by repository id and by owner each share one query."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from subgraphs.kit.database import RequestDb
from subgraphs.repositories.models import RepositoryRow
from subgraphs.repositories.service import RepositoryService


@dataclass(frozen=True)
class RepositoryLoaders:
    """DataLoaders of one request."""

    #: Live repositories by id; None for a missing or deleted repository.
    repository_by_id: DataLoader[int, RepositoryRow | None]
    #: Live repositories of an owner, newest first; [] for a user without any.
    repositories_by_owner: DataLoader[int, list[RepositoryRow]]


def make_loaders(db: RequestDb) -> RepositoryLoaders:
    """Fresh loaders for one request (their cache must not outlive it)."""
    service = RepositoryService(db)
    return RepositoryLoaders(
        repository_by_id=DataLoader(load_fn=service.get_many),
        repositories_by_owner=DataLoader(load_fn=service.by_owners),
    )

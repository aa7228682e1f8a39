"""The request's DataLoaders: every lookup of a user by id in one request shares one query."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from subgraphs.kit.database import RequestDb
from subgraphs.users.models import UserRow
from subgraphs.users.service import UserService


@dataclass(frozen=True)
class UserLoaders:
    """DataLoaders of one request."""

    #: Live users by id; None for a missing or deleted user.
    user_by_id: DataLoader[int, UserRow | None]


def make_loaders(db: RequestDb) -> UserLoaders:
    """Fresh loaders for one request (their cache must not outlive it)."""
    return UserLoaders(user_by_id=DataLoader(load_fn=UserService(db).get_many))

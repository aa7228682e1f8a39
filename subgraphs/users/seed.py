"""Deterministic demo users, inserted only into an empty table (fresh databases get ids 1..12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.users import repository
from subgraphs.users.models import UserRow

#: Fixed times keep the demo data identical on every machine.
SEED_EPOCH = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)

#: (name, age, active), in id order.
DEMO_USERS: tuple[tuple[str, int, bool], ...] = (
    ("Ada Lovelace", 36, True),
    ("Alan Turing", 41, True),
    ("Grace Hopper", 85, True),
    ("Edsger Dijkstra", 72, True),
    ("Barbara Liskov", 84, True),
    ("Donald Knuth", 86, True),
    ("Margaret Hamilton", 87, True),
    ("Dennis Ritchie", 70, True),
    ("Frances Allen", 88, True),
    ("John McCarthy", 84, False),
    ("Radia Perlman", 72, True),
    ("Ken Thompson", 81, True),
)


def demo_email(name: str) -> str:
    """`Ada Lovelace` -> `ada.lovelace@example.com`."""
    return ".".join(name.lower().split()) + "@example.com"


async def seed_users(session: AsyncSession) -> int:
    """Insert the demo users when the table is empty; returns how many were inserted."""
    if await repository.count_all(session):
        return 0
    for index, (name, age, active) in enumerate(DEMO_USERS):
        created = SEED_EPOCH + timedelta(days=index)
        repository.add(
            session,
            UserRow(
                email=demo_email(name),
                name=name,
                age=age,
                active=active,
                created_at=created,
                updated_at=created,
            ),
        )
        # One flush per row so ids follow the list order on every backend.
        await session.flush()
    return len(DEMO_USERS)

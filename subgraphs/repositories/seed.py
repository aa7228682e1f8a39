"""Deterministic demo repositories, inserted only into an empty table (ids 1..15).

They belong to the demo users 1..12 of the users subgraph's seed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from subgraphs.repositories import repository
from subgraphs.repositories.models import RepositoryRow, Visibility

#: Fixed times keep the demo data identical on every machine (after the demo users).
SEED_EPOCH = datetime(2024, 1, 20, 9, 0, tzinfo=UTC)

V = Visibility
#: (owner id, name, description, visibility, active), in id order.
DEMO_REPOSITORIES: tuple[tuple[int, str, str, Visibility, bool], ...] = (
    (1, "analytical-engine", "Programs for the Analytical Engine", V.PUBLIC, True),
    (1, "bernoulli-notes", "Note G: computing Bernoulli numbers", V.PRIVATE, True),
    (2, "enigma-bombe", "Bombe simulator", V.PUBLIC, True),
    (2, "turing-test", "The imitation game, scripted", V.PRIVATE, True),
    (3, "cobol-compiler", "FLOW-MATIC to COBOL", V.PUBLIC, True),
    (4, "shortest-path", "Dijkstra's algorithm, with notes", V.PUBLIC, True),
    (5, "clu-lang", "The CLU programming language", V.PUBLIC, False),
    (6, "tex", "A typesetting system", V.PUBLIC, True),
    (6, "taocp-errata", "Errata for The Art of Computer Programming", V.PRIVATE, True),
    (7, "apollo-guidance", "Apollo guidance computer software", V.PRIVATE, True),
    (8, "unix-v1", "The first edition of Unix", V.PUBLIC, True),
    (9, "ptran", "Parallel Fortran analysis", V.PRIVATE, True),
    (10, "lisp", "Recursive functions of symbolic expressions", V.PUBLIC, False),
    (11, "spanning-tree", "The spanning tree protocol", V.PUBLIC, True),
    (12, "go-lang", "A programming language", V.PRIVATE, True),
)


async def seed_repositories(session: AsyncSession) -> int:
    """Insert the demo repositories when the table is empty; returns how many were inserted."""
    if await repository.count_all(session):
        return 0
    for index, (owner_id, name, description, visibility, active) in enumerate(DEMO_REPOSITORIES):
        created = SEED_EPOCH + timedelta(hours=9 * index)
        repository.add(
            session,
            RepositoryRow(
                name=name,
                description=description,
                owner_id=owner_id,
                visibility=visibility,
                url=f"https://git.example.com/user{owner_id}/{name}",
                active=active,
                created_at=created,
                updated_at=created,
            ),
        )
        # One flush per row so ids follow the list order on every backend.
        await session.flush()
    return len(DEMO_REPOSITORIES)

"""Repositories SQL: filters, literal search, each owner's repositories in one query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from subgraphs.kit.pagination import PageRequest
from subgraphs.repositories import repository
from subgraphs.repositories.models import RepositoryRow, Visibility

START = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
async def repositories(session) -> list[RepositoryRow]:
    """8 repositories of owners 1..3; 4 is deleted, 5 inactive, even ids public."""
    specs = [
        (1, "zeta", "Typesetting"),
        (1, "alpha", "100% pure"),
        (2, "beta_1", None),
        (2, "gone", "deleted"),
        (3, "old", "Archived"),
        (3, "beta-2", "a beta"),
        (1, "mid", "MIXED Case"),
        (2, "betaX1", None),
    ]
    rows = [
        RepositoryRow(
            name=name,
            description=description,
            owner_id=owner,
            visibility=Visibility.PUBLIC if number % 2 == 0 else Visibility.PRIVATE,
            url=None,
            active=number != 5,
            created_at=START + timedelta(hours=number),
            updated_at=START,
            deleted_at=START if number == 4 else None,
        )
        for number, (owner, name, description) in enumerate(specs, start=1)
    ]
    session.add_all(rows)
    await session.commit()
    return rows


async def page(session, **filters) -> list[int]:
    filters.setdefault("audience", repository.EVERYTHING)
    result = await repository.list_page(session, PageRequest(1, 50), **filters)
    return [row.id for row in result.items]


async def test_filters(session, repositories) -> None:
    assert await page(session) == [1, 2, 3, 5, 6, 7, 8]
    assert await page(session, owner_id=2) == [3, 8]
    assert await page(session, visibility=Visibility.PUBLIC) == [2, 6, 8]
    assert await page(session, active=False) == [5]
    assert await page(session, owner_id=1, visibility=Visibility.PRIVATE) == [1, 7]


async def test_an_audience_sees_public_repositories_and_one_owners_private_ones(
    session, repositories
) -> None:
    anonymous = repository.Audience()
    owner_1 = repository.Audience(owner_id=1)

    assert await page(session, audience=anonymous) == [2, 6, 8]
    assert await page(session, audience=owner_1) == [1, 2, 6, 7, 8]
    assert await page(session, audience=owner_1, visibility=Visibility.PRIVATE) == [1, 7]
    assert await page(session, audience=anonymous, visibility=Visibility.PRIVATE) == []
    assert await page(session, audience=owner_1, owner_id=2) == [8]
    result = await repository.list_page(session, PageRequest(1, 2), audience=owner_1)
    assert result.total == 5, "the count is of what the audience sees"


async def test_search_matches_name_or_description_literally_in_any_case(
    session, repositories
) -> None:
    assert await page(session, search="mixed") == [7]
    assert await page(session, search="BETA") == [3, 6, 8]
    assert await page(session, search="beta_") == [3], "_ is literal"
    assert await page(session, search="100%") == [2], "% is literal"
    assert await page(session, search="deleted") == []


async def test_by_owners_is_one_query_newest_first(
    engine, session, repositories, sql_statements
) -> None:
    statements = sql_statements(engine)

    grouped = await repository.by_owners(session, [1, 2, 4])

    assert statements.count == 1
    assert [row.id for row in grouped[1]] == [7, 2, 1]
    assert [row.id for row in grouped[2]] == [8, 3]
    assert 4 not in grouped

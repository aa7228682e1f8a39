"""Users SQL: pagination maths, filters, search, live rows only, one query per batch."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from subgraphs.kit.pagination import PageRequest
from subgraphs.users import repository
from subgraphs.users.models import UserRow

WHEN = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
async def users(session) -> list[UserRow]:
    """25 users: `Person 1`..`Person 25`; every 5th inactive; the 25th deleted."""
    rows = [
        UserRow(
            email=f"person{number}@example.com",
            username=f"person{number}",
            name=f"Person {number}",
            active=number % 5 != 0,
            created_at=WHEN,
            updated_at=WHEN,
            deleted_at=WHEN if number == 25 else None,
        )
        for number in range(1, 26)
    ]
    session.add_all(rows)
    await session.commit()
    return rows


@pytest.mark.parametrize(
    ("page", "size", "ids", "total_pages"),
    [
        (1, 10, list(range(1, 11)), 3),
        (3, 10, [21, 22, 23, 24], 3),
        (4, 10, [], 3),
        (1, 24, list(range(1, 25)), 1),
        (2, 23, [24], 2),
        (6, 4, [21, 22, 23, 24], 6),
    ],
)
async def test_list_page_pages_live_users_by_id(session, users, page, size, ids, total_pages):
    result = await repository.list_page(session, PageRequest(page=page, size=size))

    assert [row.id for row in result.items] == ids
    assert result.total == 24
    assert result.total_pages == total_pages


async def test_list_page_of_an_empty_table_has_no_pages(session) -> None:
    result = await repository.list_page(session, PageRequest(page=1, size=20))

    assert (list(result.items), result.total, result.total_pages) == ([], 0, 0)


async def test_list_page_filters_on_active(session, users) -> None:
    inactive = await repository.list_page(session, PageRequest(1, 100), active=False)
    active = await repository.list_page(session, PageRequest(1, 100), active=True)

    assert [row.id for row in inactive.items] == [5, 10, 15, 20]
    assert active.total == 20


@pytest.mark.parametrize(
    ("search", "ids"),
    [
        ("PERSON 2", [2, 20, 21, 22, 23, 24]),
        ("person12@EXAMPLE", [12]),
        ("son 1", [1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]),
        ("nobody", []),
    ],
)
async def test_list_page_searches_name_and_email_ignoring_case(session, users, search, ids):
    result = await repository.list_page(session, PageRequest(1, 100), search=search)

    assert [row.id for row in result.items] == ids
    assert result.total == len(ids)


async def test_search_takes_like_wildcards_literally(session) -> None:
    session.add_all(
        [
            UserRow(
                email="a@example.com",
                username="a",
                name="100% Ada",
                created_at=WHEN,
                updated_at=WHEN,
            ),
            UserRow(
                email="b@example.com",
                username="b",
                name="1000 Bob",
                created_at=WHEN,
                updated_at=WHEN,
            ),
            UserRow(
                email="c_d@example.com", username="c", name="Cid", created_at=WHEN, updated_at=WHEN
            ),
        ]
    )
    await session.commit()

    percent = await repository.list_page(session, PageRequest(1, 10), search="0%")
    underscore = await repository.list_page(session, PageRequest(1, 10), search="c_")

    assert [row.name for row in percent.items] == ["100% Ada"]
    assert [row.name for row in underscore.items] == ["Cid"]


async def test_search_and_active_combine(session, users) -> None:
    result = await repository.list_page(session, PageRequest(1, 100), search="2", active=False)

    assert [row.id for row in result.items] == [20]


async def test_get_many_is_one_in_query_over_live_users(
    engine, session, users, sql_statements
) -> None:
    statements = sql_statements(engine)

    found = await repository.get_many(session, [3, 25, 7, 99])

    assert sorted(found) == [3, 7]
    assert statements.count == 1
    assert " IN " in statements.statements[0]


async def test_get_and_find_by_email_skip_deleted_users(session, users) -> None:
    assert (await repository.get(session, 24)).name == "Person 24"
    assert await repository.get(session, 25) is None
    assert await repository.find_by_email(session, "person25@example.com") is None
    assert (await repository.find_by_email(session, "person3@example.com")).id == 3


async def test_count_all_counts_deleted_rows_too(session, users) -> None:
    assert await repository.count_all(session) == 25

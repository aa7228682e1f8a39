"""The request session: one unit of work at a time; writes commit or roll back."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from subgraphs.kit.database import RequestDb, RequestFinished, service_metadata

metadata = MetaData()
things = Table("things", metadata, Column("id", Integer, primary_key=True))


@pytest.fixture
async def db(make_engine):
    engine = await make_engine(metadata)
    async with async_sessionmaker(engine, expire_on_commit=False)() as session:
        yield RequestDb(session)


async def test_units_of_work_never_overlap(db) -> None:
    inside = 0
    most = 0

    async def unit() -> None:
        nonlocal inside, most
        async with db.read():
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0)
            inside -= 1

    await asyncio.gather(*(unit() for _ in range(5)))

    assert most == 1


async def test_write_commits_on_success_and_rolls_back_on_error(db) -> None:
    async with db.write() as session:
        await session.execute(insert(things).values(id=1))
    with pytest.raises(RuntimeError):
        async with db.write() as session:
            await session.execute(insert(things).values(id=2))
            raise RuntimeError("changed my mind")

    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(things)) == 1


def test_each_service_gets_its_own_metadata() -> None:
    assert service_metadata() is not service_metadata()


async def test_close_waits_for_the_unit_of_work_in_progress(db) -> None:
    # A DataLoader batch keeps running after graphql-core cancelled the field that asked for
    # it; the request's session must not be closed under its query.
    inside, release = asyncio.Event(), asyncio.Event()
    steps: list[str] = []

    async def orphaned_batch() -> None:
        async with db.read() as session:
            inside.set()
            await release.wait()
            await session.execute(select(func.count()).select_from(things))
            steps.append("query done")

    batch = asyncio.ensure_future(orphaned_batch())
    await inside.wait()
    closing = asyncio.ensure_future(db.close())
    await asyncio.sleep(0)
    assert not closing.done()
    release.set()
    await asyncio.gather(batch, closing)

    assert steps == ["query done"]


async def test_no_unit_of_work_starts_after_close(db) -> None:
    await db.close()

    with pytest.raises(RequestFinished):
        async with db.read():
            pass
    with pytest.raises(RequestFinished):
        async with db.write():
            pass

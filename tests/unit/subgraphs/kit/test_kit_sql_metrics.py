"""`<prefix>_sql_statements_total` counts a subgraph's SQL, requests apart from background work."""

from __future__ import annotations

import httpx
from sqlalchemy import text

from subgraphs.kit.app import create_service_app
from subgraphs.users.app import SUBGRAPH
from subgraphs.users.models import UsersBase
from subgraphs.users.settings import UserServiceSettings
from tests.support.identity import ADMIN_IDENTITY, internal_headers


def counts(metrics: str) -> dict[str, float]:
    found = {}
    for line in metrics.splitlines():
        if line.startswith("user_service_sql_statements_total{"):
            origin = line.split('origin="')[1].split('"')[0]
            found[origin] = float(line.rsplit(" ", 1)[1])
    return found


async def test_statements_of_requests_and_of_background_work_are_counted_apart(
    make_engine,
) -> None:
    engine = await make_engine(UsersBase.metadata)
    app = create_service_app(SUBGRAPH, UserServiceSettings(), engine=engine)
    create_service_app(SUBGRAPH, UserServiceSettings(), engine=engine)  # counted once anyway
    transport = httpx.ASGITransport(app=app)
    headers = internal_headers(ADMIN_IDENTITY)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://users", headers=headers
    ) as client:
        before = counts((await client.get("/metrics")).text)
        await client.post("/graphql", json={"query": "{ users { items { id } } }"})
        after_request = counts((await client.get("/metrics")).text)
        async with engine.connect() as connection:  # outside any request: a relay, a consumer
            await connection.execute(text("SELECT 1"))
        after_background = counts((await client.get("/metrics")).text)

    assert after_request["request"] - before["request"] == 2, "count and page of users"
    assert after_request["background"] == before["background"]
    assert after_background["background"] - after_request["background"] == 1
    assert after_background["request"] == after_request["request"]

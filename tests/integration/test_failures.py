"""When a subgraph's database breaks or a subgraph dies: coded errors, the rest still answers.

These tests break things, so they run on a stack of their own (SQLite), not the shared one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from devstack.processes import stop
from devstack.stack import SUBGRAPHS
from tests.support.stack import RunningStack, start_stack


@pytest.fixture
def own_stack(tmp_path: Path) -> Iterator[RunningStack]:
    db_urls = {sg.name: f"sqlite+aiosqlite:///{tmp_path / sg.name}.db" for sg in SUBGRAPHS}
    running = start_stack("sqlite", db_urls, tmp_path)
    try:
        yield running
    finally:
        stop(list(running.services.values()))


def test_a_database_failure_is_internal_with_the_request_id_and_no_details(
    own_stack: RunningStack,
) -> None:
    with sqlite3.connect(own_stack.log_dir / "users.db") as db:
        db.execute("DROP TABLE users")
    response = own_stack.graphql(
        "{ users { items { id } } }", headers={"X-Request-ID": "broken-db-1", **own_stack.admin}
    )
    payload = response.json()
    assert payload["data"] is None
    (error,) = payload["errors"]
    assert error["extensions"]["code"] == "INTERNAL"
    assert "broken-db-1" in error["message"]
    text = response.text.lower()
    assert "traceback" not in text and "sqlalchemy" not in text and "no such table" not in text
    log = (own_stack.log_dir / "users.log").read_text()
    assert "no such table" in log, "the cause is logged for operators"


def test_a_dead_subgraph_nulls_only_its_part(own_stack: RunningStack) -> None:
    own_stack.services["orders"].process.terminate()  # type: ignore[union-attr]
    own_stack.services["orders"].process.wait(10)  # type: ignore[union-attr]
    response = own_stack.graphql(
        '{ user(id: "1") { name } order(id: "1") { id status } }', headers=own_stack.admin
    )
    payload = response.json()
    assert response.status_code == 200
    assert payload["data"] == {"user": {"name": "Ada Lovelace"}, "order": None}
    (error,) = payload["errors"]
    assert error["extensions"]["code"] == "SUBGRAPH_UNAVAILABLE"
    assert error["extensions"]["serviceName"] == "orders"
    assert "orders" in error["message"]

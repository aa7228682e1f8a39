"""`python -m subgraphs.<domain>`: sdl, migrate, seed, and bad configuration."""

from __future__ import annotations

import sqlite3

import pytest

from subgraphs.kit import cli
from subgraphs.orders.app import SUBGRAPH as ORDERS
from subgraphs.users.app import SUBGRAPH as USERS


@pytest.fixture(autouse=True)
def keep_test_logging(monkeypatch) -> None:
    # configure_logging replaces the root handlers, which pytest's log capture relies on.
    monkeypatch.setattr(cli, "configure_logging", lambda *_args: None)


@pytest.mark.parametrize("subgraph", [USERS, ORDERS])
def test_sdl_prints_the_federation_sdl(subgraph, capsys) -> None:
    assert cli.run(subgraph, ["sdl"]) == 0

    out = capsys.readouterr().out
    assert '@link(url: "https://specs.apollo.dev/federation/v2' in out
    assert '@key(fields: "id")' in out
    assert out.endswith("}\n")


def test_bad_configuration_exits_2_naming_the_variable(monkeypatch, capsys) -> None:
    monkeypatch.setenv("USER_SERVICE_PORT", "eighty")

    assert cli.run(USERS, ["migrate"]) == 2

    err = capsys.readouterr().err
    assert "USER_SERVICE_PORT" in err
    assert "Traceback" not in err


def test_a_sync_driver_url_is_a_configuration_error(monkeypatch, capsys) -> None:
    monkeypatch.setenv("ORDER_SERVICE_DB_URL", "postgresql://db/orders")

    assert cli.run(ORDERS, ["seed"]) == 2
    assert "ORDER_SERVICE_DB_URL" in capsys.readouterr().err


def test_unknown_command_is_refused(capsys) -> None:
    with pytest.raises(SystemExit) as leaving:
        cli.run(USERS, ["dance"])

    assert leaving.value.code == 2


@pytest.mark.parametrize(
    ("subgraph", "prefix", "table", "rows"),
    [(USERS, "USER", "users", 12), (ORDERS, "ORDER", "orders", 30)],
)
def test_migrate_then_seed_twice_fills_the_database_once(
    subgraph, prefix, table, rows, monkeypatch, tmp_path
) -> None:
    path = tmp_path / f"{table}.db"
    monkeypatch.setenv(f"{prefix}_SERVICE_DB_URL", f"sqlite+aiosqlite:///{path}")

    assert cli.run(subgraph, ["migrate"]) == 0
    assert cli.run(subgraph, ["seed"]) == 0
    assert cli.run(subgraph, ["seed"]) == 0

    with sqlite3.connect(path) as connection:
        count = connection.execute(f"SELECT count(*), min(id), max(id) FROM {table}").fetchone()
    assert count == (rows, 1, rows)


def test_a_secret_production_refuses_exits_2_with_one_line(monkeypatch, capsys, tmp_path) -> None:
    # AUTH_* are read when the app is built, after migrating: refused the same way.
    monkeypatch.setenv("ORDER_SERVICE_ENV", "production")
    monkeypatch.setenv("ORDER_SERVICE_DB_URL", f"sqlite+aiosqlite:///{tmp_path / 'orders.db'}")
    monkeypatch.setenv("ORDER_SERVICE_SEED", "false")
    monkeypatch.setenv("AUTH_JWT_SECRET", "unit-test-secret-that-is-at-least-32-bytes")
    monkeypatch.setenv("AUTH_INTERNAL_SECRET", "too-short")
    monkeypatch.setattr(cli, "serve_app", lambda *a, **kw: pytest.fail("must not serve"))

    assert cli.run(ORDERS, ["serve"]) == 2

    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("orders: invalid configuration: AUTH_INTERNAL_SECRET: is shorter than")
    assert "too-short" not in err

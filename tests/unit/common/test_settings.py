"""Settings: the original variable names, database URL forms, clear errors for bad values."""

from __future__ import annotations

import pytest

from common.errors import ConfigurationError
from common.settings import GatewaySettings, load_settings
from subgraphs.orders.settings import OrderServiceSettings
from subgraphs.users.settings import UserServiceSettings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    # Run where no .env file can leak in, with none of our variables set.
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    import os

    for name in list(os.environ):
        if name.startswith(("USER_SERVICE_", "ORDER_SERVICE_", "GATEWAY_", "CIRCUIT_BREAKER_")):
            monkeypatch.delenv(name)


def test_defaults_are_the_documented_ports_and_sqlite() -> None:
    users = load_settings(UserServiceSettings)
    orders = load_settings(OrderServiceSettings)
    assert (users.port, orders.port, load_settings(GatewaySettings).port) == (8081, 8082, 4000)
    assert users.database_url == "sqlite+aiosqlite:///var/users.db"
    assert orders.database_url == "sqlite+aiosqlite:///var/orders.db"


def test_postgres_from_parts_with_escaped_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER_SERVICE_DB_HOST", "db.internal")
    monkeypatch.setenv("USER_SERVICE_DB_PASSWORD", "p@ss/word")
    url = load_settings(UserServiceSettings).database_url
    assert url == "postgresql+asyncpg://postgres:p%40ss%2Fword@db.internal:5432/userdb"


def test_full_url_wins_over_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDER_SERVICE_DB_HOST", "ignored")
    monkeypatch.setenv("ORDER_SERVICE_DB_URL", "postgresql+asyncpg://u@h/orders")
    assert load_settings(OrderServiceSettings).database_url == "postgresql+asyncpg://u@h/orders"


def test_bad_values_name_their_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER_SERVICE_PORT", "eighty")
    monkeypatch.setenv("USER_SERVICE_LOG_LEVEL", "loud")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(UserServiceSettings)
    message = str(caught.value)
    assert "USER_SERVICE_PORT" in message and "'eighty'" in message
    assert "USER_SERVICE_LOG_LEVEL" in message


def test_circuit_breaker_variables_keep_their_original_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CIRCUIT_BREAKER_MAX_REQUESTS", "5")
    monkeypatch.setenv("CIRCUIT_BREAKER_TIMEOUT", "7.5")
    settings = load_settings(GatewaySettings)
    assert (settings.circuit_breaker_max_requests, settings.circuit_breaker_timeout) == (5, 7.5)
    monkeypatch.setenv("CIRCUIT_BREAKER_INTERVAL", "0")
    with pytest.raises(ConfigurationError, match="CIRCUIT_BREAKER_INTERVAL"):
        load_settings(GatewaySettings)

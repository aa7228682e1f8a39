"""`AUTH_*` settings: defaults, roles parsing and the start-up rule for the secret."""

from __future__ import annotations

import logging

import pytest

from common.auth import AuthSettings, load_auth_settings, parse_roles
from common.errors import ConfigurationError

STRONG = "s" * 32


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "AUTH_JWT_SECRET",
        "AUTH_CLIENT_ROLES",
        "AUTH_CLIENT_SECRET",
        "AUTH_JWT_ALGORITHM",
        "GATEWAY_ENV",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_are_the_original_docs() -> None:
    settings = AuthSettings(_env_file=None)  # type: ignore[call-arg]
    assert settings.auth_jwt_secret == "change-me"
    assert (
        settings.auth_jwt_issuer == settings.auth_jwt_audience == "enterprise-microservice-system"
    )
    assert settings.ttl_seconds == 3600
    assert (settings.auth_client_id, settings.auth_client_secret) == ("admin", "admin123")
    assert settings.client_roles == ("admin",)
    assert settings.auth_service_subject == "order-service"
    assert settings.service_roles == ("service",)
    assert settings.auth_jwt_algorithm == "HS256"
    assert settings.auth_jwks_cooldown_seconds == 300
    assert settings.auth_clock_skew_seconds == 30


@pytest.mark.parametrize(
    ("csv", "roles"),
    [
        ("admin", ("admin",)),
        (" admin , user ,", ("admin", "user")),
        ("user,user,admin", ("user", "admin")),
        ("", ()),
        (" , ", ()),
    ],
)
def test_roles_are_parsed_from_csv(csv: str, roles: tuple[str, ...]) -> None:
    assert parse_roles(csv) == roles


def test_roles_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_CLIENT_ROLES", "admin, user")
    assert load_auth_settings(auth_jwt_secret=STRONG).client_roles == ("admin", "user")


@pytest.mark.parametrize("secret", ["change-me", "short-secret", "é" * 15])
def test_production_refuses_a_weak_secret(monkeypatch: pytest.MonkeyPatch, secret: str) -> None:
    monkeypatch.setenv("GATEWAY_ENV", "production")
    monkeypatch.setenv("AUTH_JWT_SECRET", secret)
    with pytest.raises(ConfigurationError) as caught:
        load_auth_settings()
    assert "AUTH_JWT_SECRET" in str(caught.value)


def test_production_setting_may_come_from_the_caller() -> None:
    with pytest.raises(ConfigurationError, match="AUTH_JWT_SECRET"):
        load_auth_settings(gateway_env="production")


def test_production_accepts_a_strong_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_ENV", "production")
    monkeypatch.setenv("AUTH_JWT_SECRET", "é" * 16)  # 32 bytes, 16 characters
    monkeypatch.setenv("AUTH_INTERNAL_SECRET", "i" * 32)
    assert load_auth_settings().auth_jwt_secret == "é" * 16


@pytest.mark.parametrize(
    ("internal", "complaint"),
    [
        (None, "default"),
        ("short", "shorter than 32 bytes"),
        (STRONG, "same as AUTH_JWT_SECRET"),
    ],
)
def test_production_refuses_a_weak_internal_secret(
    monkeypatch: pytest.MonkeyPatch, internal: str | None, complaint: str
) -> None:
    monkeypatch.setenv("GATEWAY_ENV", "production")
    monkeypatch.setenv("AUTH_JWT_SECRET", STRONG)
    if internal is not None:
        monkeypatch.setenv("AUTH_INTERNAL_SECRET", internal)
    with pytest.raises(ConfigurationError, match="AUTH_INTERNAL_SECRET") as caught:
        load_auth_settings()
    assert complaint in str(caught.value)
    assert "AUTH_JWT_SECRET:" not in str(caught.value)


@pytest.mark.parametrize(
    ("client_secret", "complaint"),
    [(None, "is the default 'admin123'"), ("admin-secret-42", "shorter than 32 bytes")],
)
def test_the_token_endpoint_in_production_refuses_a_weak_client_secret(
    monkeypatch: pytest.MonkeyPatch, client_secret: str | None, complaint: str
) -> None:
    monkeypatch.setenv("GATEWAY_ENV", "production")
    monkeypatch.setenv("AUTH_JWT_SECRET", STRONG)
    monkeypatch.setenv("AUTH_INTERNAL_SECRET", "i" * 32)
    if client_secret is not None:
        monkeypatch.setenv("AUTH_CLIENT_SECRET", client_secret)
    with pytest.raises(ConfigurationError, match="AUTH_CLIENT_SECRET") as caught:
        load_auth_settings(token_endpoint=True)
    assert complaint in str(caught.value)
    # Subgraphs serve no token endpoint: the client secret is none of their business.
    assert load_auth_settings().auth_client_secret == (client_secret or "admin123")
    monkeypatch.setenv("AUTH_CLIENT_SECRET", "c" * 32)
    assert load_auth_settings(token_endpoint=True).auth_client_secret == "c" * 32


def test_development_warns_about_a_weak_secret(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="common.auth.settings"):
        settings = load_auth_settings(auth_jwt_secret="short")
    assert settings.auth_jwt_secret == "short"
    assert "AUTH_JWT_SECRET" in caplog.text
    assert "32 bytes" in caplog.text


def test_asymmetric_algorithms_need_a_jwks_url() -> None:
    with pytest.raises(ConfigurationError, match="AUTH_JWKS_URL"):
        load_auth_settings(auth_jwt_secret=STRONG, auth_jwt_algorithm="RS256")


def test_an_unknown_algorithm_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_JWT_ALGORITHM", "none")
    with pytest.raises(ConfigurationError, match="AUTH_JWT_ALGORITHM"):
        load_auth_settings(auth_jwt_secret=STRONG)

"""The run's credentials: production starts with them, the unique mode's tokens are valid and
distinct users, and a refused start names the setting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import gateway.__main__ as entry
from bench.driver.credentials import (
    AUDIENCE,
    ISSUER,
    PRODUCTION_SECRETS,
    TokenPool,
    TokenSigner,
    gateway_auth_env,
    refusal_note,
    refused_settings,
    run_secrets,
    tokens_needed,
)
from bench.driver.scenario import FED
from common.auth import AuthSettings, Identity, verify_token
from common.errors import ConfigurationError

ISSUED_AT = 1_800_000_000
SECRET = "bench-unit-test-secret-0123456789abcdef"


@pytest.fixture
def production_start(
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    """Start our gateway's entry point as `make bench` does (its server not run); returns a
    function of the environment that gives the exit code and what it printed or raised."""
    started: list[object] = []
    monkeypatch.setattr(entry, "serve", lambda app, *a, **kw: started.append(app))
    monkeypatch.setattr(entry, "configure_logging", lambda *a: None)
    for name in (*PRODUCTION_SECRETS, "AUTH_JWT_ISSUER", "AUTH_JWT_AUDIENCE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GATEWAY_ENV", "production")
    monkeypatch.setenv("GATEWAY_SUPERGRAPH_POLL_INTERVAL", "0")
    # main() tunes the interpreter for a server (switch interval, a full collection then
    # `gc.freeze`); this test process keeps its own
    monkeypatch.setattr(entry.sys, "setswitchinterval", lambda interval: None)
    monkeypatch.setattr(entry, "tune_garbage_collector", lambda: None)

    def start(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        try:
            code = entry.main(["--supergraph", str(FED / "supergraph.graphql")])
        except ConfigurationError as exc:  # printed as a traceback by python -m gateway
            return 1, str(exc)
        return (0 if started else code), capsys.readouterr().err

    return start


def test_production_starts_with_the_runs_secrets(
    production_start: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, output = production_start(gateway_auth_env(run_secrets()), capsys)
    assert code == 0, output


def test_a_refused_start_names_each_setting(
    production_start: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    code, output = production_start({}, capsys)
    assert code != 0
    names = [name for name, _ in refused_settings(output)]
    assert {"AUTH_JWT_SECRET", "AUTH_INTERNAL_SECRET"} <= set(names)


def test_refusals_are_read_from_one_line_or_a_traceback() -> None:
    semicolons = (
        "gateway: invalid configuration: AUTH_JWT_SECRET: is the default 'change-me'; set a "
        "random secret of at least 32 bytes; GATEWAY_METRICS_TOKEN: is shorter than 32 bytes\n"
    )
    one_line = (
        "gateway: invalid configuration: - AUTH_CLIENT_SECRET: is the default 'admin123'; set a "
        "random secret - GATEWAY_METRICS_TOKEN: is required in production\n"
    )
    traceback = (
        'Traceback (most recent call last):\n  File "x.py", line 1\n'
        "common.errors.ConfigurationError: invalid configuration:\n"
        "  - AUTH_INTERNAL_SECRET: is shorter than 32 bytes; set a longer random secret\n"
    )
    assert refused_settings(semicolons) == [
        ("AUTH_JWT_SECRET", "is the default 'change-me'; set a random secret of at least 32 bytes"),
        ("GATEWAY_METRICS_TOKEN", "is shorter than 32 bytes"),
    ]
    assert refused_settings(one_line) == [
        ("AUTH_CLIENT_SECRET", "is the default 'admin123'; set a random secret"),
        ("GATEWAY_METRICS_TOKEN", "is required in production"),
    ]
    assert refused_settings(traceback) == [
        ("AUTH_INTERNAL_SECRET", "is shorter than 32 bytes; set a longer random secret")
    ]
    assert refused_settings("Address already in use") == []


def test_a_refusal_of_a_setting_the_driver_does_not_generate_says_where_to_add_it() -> None:
    known = refusal_note([("AUTH_CLIENT_SECRET", "is the default")])
    unknown = refusal_note([("GATEWAY_NEW_SECRET", "is required in production")])
    assert "AUTH_CLIENT_SECRET is the default" in known and "PRODUCTION_SECRETS" not in known
    assert "GATEWAY_NEW_SECRET" in unknown and "PRODUCTION_SECRETS" in unknown


def test_run_secrets_are_strong_and_all_different() -> None:
    repeating = iter(["same-value-" * 4, "same-value-" * 4, *(f"{n:043d}" for n in range(9))])
    secrets = run_secrets(lambda: next(repeating))
    assert set(secrets) == set(PRODUCTION_SECRETS)
    assert len(set(secrets.values())) == len(secrets)
    assert all(len(value.encode()) >= 32 for value in run_secrets().values())


async def test_each_token_is_a_valid_distinct_signed_in_user() -> None:
    signer = TokenSigner(SECRET, issued_at=ISSUED_AT)
    settings = AuthSettings(
        _env_file=None,  # type: ignore[call-arg]
        auth_jwt_secret=SECRET,
        auth_jwt_issuer=ISSUER,
        auth_jwt_audience=AUDIENCE,
    )
    identities = [
        Identity.from_claims(await verify_token(signer.token(n), settings, now=ISSUED_AT + 60))
        for n in (1, 2)
    ]
    assert [(i.subject, i.user_id, i.roles) for i in identities] == [
        ("user:1", 1, frozenset({"user"})),
        ("user:2", 2, frozenset({"user"})),
    ]


def test_the_pool_never_hands_out_a_token_twice(tmp_path: Path) -> None:
    pool = TokenPool(TokenSigner(SECRET, issued_at=ISSUED_AT))
    probe = pool.one()
    warmup = pool.file(tmp_path / "warmup.txt", 3).read_text().split()
    measured = pool.file(tmp_path / "measured.txt", 4).read_text().split()
    tokens = [probe, *warmup, *measured]
    assert len(tokens) == 8 and len(set(tokens)) == 8


def test_a_runs_tokens_cover_its_rate_ceiling_and_what_wrk_leaves_in_flight() -> None:
    assert tokens_needed(seconds=8, rate_ceiling=5000, connections=50) == 40_100

"""`python -m gateway`: start-up failures exit with code 2 and one clear line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import gateway.__main__ as entry
from common import serving


@pytest.fixture
def no_watching(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_SUPERGRAPH_POLL_INTERVAL", "0")


@pytest.fixture
def no_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[Any, dict[str, Any]]]]:
    """`main()` runs up to serving; what it serves is recorded instead. Its garbage collector
    tuning is recorded too (`tuned`): run here, its full collection would walk this test
    process's whole heap, about 20 s late in a suite; its effect is checked in a fresh
    interpreter (`test_the_collector_is_tuned_for_a_server`)."""
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(serving.uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setattr(entry, "configure_logging", lambda *a: None)
    monkeypatch.setattr(entry, "tune_garbage_collector", lambda: tuned.append(True))
    interval = sys.getswitchinterval()
    tuned.clear()
    yield calls
    # main() tunes the process; the test process stays as it was
    sys.setswitchinterval(interval)


#: one entry per call of `tune_garbage_collector` under `no_server`
tuned: list[bool] = []


@pytest.mark.usefixtures("no_watching")
def test_missing_supergraph_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert entry.main(["--supergraph", str(tmp_path / "none.graphql")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("gateway: cannot read supergraph ") and "none.graphql" in err


@pytest.mark.usefixtures("no_watching")
def test_broken_supergraph_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.graphql"
    path.write_text("type Query { a: Int }")
    assert entry.main(["--supergraph", str(path)]) == 2
    assert "not a supergraph" in capsys.readouterr().err


def test_bad_setting_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CIRCUIT_BREAKER_TIMEOUT", "soon")
    assert entry.main(["--supergraph", "x.graphql"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CIRCUIT_BREAKER_TIMEOUT" in err


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AUTH_CLIENT_SECRET", "admin123"),
        ("AUTH_CLIENT_SECRET", "short-client-secret"),
        ("AUTH_JWT_SECRET", "change-me"),
        ("GATEWAY_METRICS_TOKEN", "too-short"),
        ("GATEWAY_IDEMPOTENCY_DATABASE_URL", "postgresql://user:hunter2@db/gateway"),
    ],
)
def test_a_setting_production_refuses_exits_2_with_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    no_server: list[tuple[Any, dict[str, Any]]],
    variable: str,
    value: str,
) -> None:
    monkeypatch.setenv("GATEWAY_ENV", "production")
    monkeypatch.setenv("AUTH_CLIENT_SECRET", "unit-test-client-secret-at-least-32-bytes")
    monkeypatch.setenv(variable, value)
    path = Path(__file__).parent / "fixtures" / "users_orders.graphql"
    assert entry.main(["--supergraph", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"gateway: invalid configuration: {variable}:")
    assert "Traceback" not in err
    assert "hunter2" not in err  # a URL may carry a password: never repeated
    assert not no_server


def test_options_and_environment_reach_uvicorn(
    monkeypatch: pytest.MonkeyPatch, no_server: list[tuple[Any, dict[str, Any]]]
) -> None:
    monkeypatch.setenv("GATEWAY_PORT", "4100")
    path = Path(__file__).parent / "fixtures" / "users_orders.graphql"
    monkeypatch.setenv("GATEWAY_SUPERGRAPH_PATH", str(path))
    assert entry.main(["--host", "0.0.0.0"]) == 0
    assert [kw for _, kw in no_server] == [
        {
            "host": "0.0.0.0",
            "port": 4100,
            "log_config": None,
            "access_log": False,
            "server_header": False,
        }
    ]
    assert sys.getswitchinterval() == pytest.approx(entry.SWITCH_INTERVAL)
    assert tuned == [True]


def test_the_collector_is_tuned_for_a_server() -> None:
    probe = (
        "import gc, gateway.__main__ as entry; entry.tune_garbage_collector(); "
        "print(gc.get_threshold() == entry.GC_THRESHOLDS, gc.get_freeze_count() > 0)"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    # what start-up built is out of the collector's sight, and collections run rarely
    assert run.stdout.split() == ["True", "True"], run.stderr


@pytest.mark.parametrize("content", [None, "type Query { a: Int }"])
async def test_with_watching_a_missing_or_broken_supergraph_starts_and_answers_503(
    tmp_path: Path, no_server: list[tuple[Any, dict[str, Any]]], content: str | None
) -> None:
    path = tmp_path / "supergraph.graphql"
    if content is not None:
        path.write_text(content)
    assert entry.main(["--supergraph", str(path)]) == 0
    ((app, _),) = no_server
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        health = await client.get("/health")
        assert health.status_code == 503
        assert health.json()["status"] == "unavailable"
        assert str(path) in health.json()["reason"]
        response = await client.post("/graphql", json={"query": "{ __typename }"})
        assert response.status_code == 503
        assert response.json()["errors"][0]["extensions"]["code"] == "SUPERGRAPH_UNAVAILABLE"

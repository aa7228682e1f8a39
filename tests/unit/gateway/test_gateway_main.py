"""`python -m gateway`: start-up failures exit with code 2 and one clear line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import gateway.__main__ as entry


def test_missing_supergraph_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert entry.main(["--supergraph", str(tmp_path / "none.graphql")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("gateway: cannot read supergraph ") and "none.graphql" in err


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


def test_options_and_environment_reach_uvicorn(
    monkeypatch: pytest.MonkeyPatch, fixture_sdl: Any
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(entry.uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.setattr(entry, "configure_logging", lambda *a: None)
    monkeypatch.setenv("GATEWAY_PORT", "4100")
    path = Path(__file__).parent / "fixtures" / "users_orders.graphql"
    monkeypatch.setenv("GATEWAY_SUPERGRAPH_PATH", str(path))
    assert entry.main(["--host", "0.0.0.0"]) == 0
    assert calls == [{"host": "0.0.0.0", "port": 4100, "log_config": None}]

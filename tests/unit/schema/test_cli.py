"""`python -m schema compose` and its --check mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from schema import cli, config

from .cases import FIXTURES, H, fixture_subgraphs

CONFIG = """subgraphs:
  - name: users
    url: http://127.0.0.1:8081/graphql
    sdl: users.graphql
  - name: orders
    url: http://127.0.0.1:8082/graphql
    sdl: orders.graphql
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("users.graphql", "orders.graphql"):
        (tmp_path / name).write_text((FIXTURES / name).read_text())
    (tmp_path / "subgraphs.yaml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_compose_writes_the_supergraph(workdir: Path) -> None:
    assert cli.main(["compose", "--config", "subgraphs.yaml", "--out", "out.graphql"]) == 0
    expected = (FIXTURES / "supergraph.graphql").read_text()
    assert (workdir / "out.graphql").read_text() == expected


def test_check_passes_when_current_and_fails_when_stale(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["compose", "--config", "subgraphs.yaml", "--out", "out.graphql"]
    assert cli.main(args) == 0
    assert cli.main([*args, "--check"]) == 0
    (workdir / "out.graphql").write_text("stale\n")
    assert cli.main([*args, "--check"]) == 1
    assert "out.graphql differs from a fresh composition" in capsys.readouterr().err


def test_check_fails_when_the_supergraph_is_missing(workdir: Path) -> None:
    args = ["compose", "--config", "subgraphs.yaml", "--out", "missing.graphql", "--check"]
    assert cli.main(args) == 1
    assert not (workdir / "missing.graphql").exists()


def test_composition_errors_exit_1_one_issue_per_line(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "orders.graphql").write_text(H + "type Query { a: Nope @foo }")
    assert cli.main(["compose", "--config", "subgraphs.yaml", "--out", "out.graphql"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[1:] == [
        'INVALID_GRAPHQL: [orders] Unknown directive "@foo".',
        "INVALID_GRAPHQL: [orders] Unknown type Nope",
    ]


def test_sdl_is_fetched_when_no_file_is_given(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (workdir / "subgraphs.yaml").write_text(CONFIG.replace("    sdl: orders.graphql\n", ""))
    sdl = {s.name: s.sdl for s in fixture_subgraphs()}
    asked: list[str] = []

    def fake_fetch(name: str, url: str, timeout: float = 10.0) -> str:
        asked.append(url)
        return sdl[name]

    monkeypatch.setattr(config, "fetch_sdl", fake_fetch)
    assert cli.main(["compose", "--config", "subgraphs.yaml", "--out", "out.graphql"]) == 0
    assert asked == ["http://127.0.0.1:8082/graphql"]


def test_timeout_option_reaches_the_fetch(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (workdir / "subgraphs.yaml").write_text(CONFIG.replace("    sdl: orders.graphql\n", ""))
    sdl = {s.name: s.sdl for s in fixture_subgraphs()}
    timeouts: list[float] = []

    def fake_fetch(name: str, url: str, timeout: float = 10.0) -> str:
        timeouts.append(timeout)
        return sdl[name]

    monkeypatch.setattr(config, "fetch_sdl", fake_fetch)
    args = ["compose", "--config", "subgraphs.yaml", "--out", "out.graphql", "--timeout", "2.5"]
    assert cli.main(args) == 0
    assert timeouts == [2.5]


def test_bad_config_exits_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "subgraphs.yaml").write_text("subgraphs: []\n")
    assert cli.main(["compose", "--config", "subgraphs.yaml"]) == 2
    assert "non-empty `subgraphs:` list" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("subgraphs: []\n", "expected a non-empty `subgraphs:` list"),
        ("subgraphs:\n  - name: users\n", "every subgraph needs `name` and `url`"),
        (
            CONFIG.replace("    sdl: orders.graphql", "    sld: orders.graphql"),
            "subgraph orders: unknown key(s) sld; expected name, url, sdl",
        ),
        (
            CONFIG.replace("name: orders", "name: users"),
            "subgraph users is listed twice; names must be unique",
        ),
        ("subgraphs: [\n", "cannot read subgraphs.yaml"),
    ],
)
def test_config_errors_name_the_problem(
    workdir: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    (workdir / "subgraphs.yaml").write_text(text)
    assert cli.main(["compose", "--config", "subgraphs.yaml", "--out", "out.graphql"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: CONFIG_INVALID: ")
    assert message in err
    assert not (workdir / "out.graphql").exists()


def test_api_prints_what_clients_see_and_checks_a_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    supergraph = str(FIXTURES / "supergraph.graphql")
    assert cli.main(["api", "--supergraph", supergraph]) == 0
    printed = capsys.readouterr().out
    assert "type Query" in printed
    assert "join__" not in printed and "@join" not in printed
    out = tmp_path / "schema.graphql"
    assert cli.main(["api", "--supergraph", supergraph, "--out", str(out)]) == 0
    assert out.read_text() == printed
    assert cli.main(["api", "--supergraph", supergraph, "--out", str(out), "--check"]) == 0
    out.write_text("type Query { stale: Int }\n")
    assert cli.main(["api", "--supergraph", supergraph, "--out", str(out), "--check"]) == 1
    assert "make frontend-types" in capsys.readouterr().err
    missing = str(tmp_path / "none.graphql")
    assert cli.main(["api", "--supergraph", missing]) == 2

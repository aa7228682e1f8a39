"""`python -m schema check`: exit 0 when nothing breaks, 1 when something does, 2 on errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schema import cli

from .cases import FIXTURES, H

CONFIG = """subgraphs:
  - name: users
    url: http://127.0.0.1:8081/graphql
    sdl: users.graphql
  - name: orders
    url: http://127.0.0.1:8082/graphql
    sdl: orders.graphql
"""
CHECK = ["check", "--config", "subgraphs.yaml", "--against", "supergraph.graphql"]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("users.graphql", "orders.graphql", "supergraph.graphql"):
        (tmp_path / name).write_text((FIXTURES / name).read_text())
    (tmp_path / "subgraphs.yaml").write_text(CONFIG)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit_users(workdir: Path, old: str, new: str) -> None:
    path = workdir / "users.graphql"
    sdl = path.read_text()
    assert sdl.count(old) == 1, old
    path.write_text(sdl.replace(old, new))


def test_no_changes_exits_0(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(CHECK) == 0
    assert capsys.readouterr().out == "No changes to the API schema against supergraph.graphql.\n"


def test_breaking_changes_exit_1_grouped_by_level(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_users(workdir, "  createdAt: DateTime!\n", "  createdAt: DateTime\n  nickname: String\n")
    edit_users(workdir, "  name: String!\n  role: Role!\n", "  name: String!\n")
    assert cli.main(CHECK) == 1
    assert capsys.readouterr().out == (
        "API schema changes against supergraph.graphql: 2 breaking, 0 dangerous, 1 safe.\n"
        "\n"
        "BREAKING (2)\n"
        "  User.createdAt  Field User.createdAt changed type from DateTime! to DateTime:"
        " operations may fail validation or get values they do not expect.\n"
        "  User.role       Field User.role was removed: operations using it fail validation.\n"
        "\n"
        "SAFE (1)\n"
        "  User.nickname   Field User.nickname was added.\n"
    )


def test_only_safe_and_dangerous_changes_exit_0(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_users(workdir, "  passwordHash: String @inaccessible\n", "  passwordHash: String\n")
    edit_users(workdir, "  node(id: ID!): Node\n", "  node(id: ID!, cached: Boolean): Node\n")
    assert cli.main(CHECK) == 0
    out = capsys.readouterr().out
    assert "DANGEROUS (1)\n  Query.node(cached:)" in out
    assert "SAFE (1)\n  User.passwordHash" in out


def test_json_format(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit_users(workdir, "  name: String!\n  role: Role!\n", "  name: String!\n")
    assert cli.main([*CHECK, "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "against": "supergraph.graphql",
        "summary": {"breaking": 1, "dangerous": 0, "safe": 0},
        "changes": [
            {
                "level": "BREAKING",
                "kind": "FIELD_REMOVED",
                "coordinate": "User.role",
                "message": "Field User.role was removed: operations using it fail validation.",
            }
        ],
    }


def test_composition_errors_exit_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "orders.graphql").write_text(H + "type Query { a: Nope }")
    assert cli.main(CHECK) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "error: COMPOSITION_FAILED: composition failed with 1 issue(s)",
        "INVALID_GRAPHQL: [orders] Unknown type Nope",
    ]


def test_composition_errors_as_json(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "orders.graphql").write_text(H + "type Query { a: Nope }")
    assert cli.main([*CHECK, "--format", "json"]) == 2
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["code"] == "COMPOSITION_FAILED"
    assert error["issues"] == [{"code": "INVALID_GRAPHQL", "message": "[orders] Unknown type Nope"}]


@pytest.mark.parametrize(
    ("setup", "code", "message"),
    [
        ({"subgraphs.yaml": "subgraphs: []\n"}, "CONFIG_INVALID", "non-empty `subgraphs:` list"),
        ({"users.graphql": None}, "CONFIG_INVALID", "subgraph users: cannot read"),
        ({"supergraph.graphql": None}, "SUPERGRAPH_UNREADABLE", "cannot read supergraph.graphql"),
        ({"supergraph.graphql": "type Query {"}, "SUPERGRAPH_INVALID", "invalid supergraph SDL"),
    ],
)
def test_config_and_supergraph_errors_exit_2(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    setup: dict[str, str | None],
    code: str,
    message: str,
) -> None:
    for name, text in setup.items():
        if text is None:
            (workdir / name).unlink()
        else:
            (workdir / name).write_text(text)
    assert cli.main(CHECK) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {code}: ")
    assert message in err


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::1/graphql", "InvalidURL: Invalid port"),
        ("localhost:8082/graphql", "UnsupportedProtocol"),
    ],
)
def test_unusable_subgraph_url_exits_2(
    workdir: Path, capsys: pytest.CaptureFixture[str], url: str, reason: str
) -> None:
    # URLs refused before any connection; real HTTP failures are in tests/integration.
    config = CONFIG.replace("    sdl: orders.graphql\n", "")
    (workdir / "subgraphs.yaml").write_text(config.replace("http://127.0.0.1:8082/graphql", url))
    assert cli.main(CHECK) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: SDL_FETCH_FAILED: subgraph orders: cannot fetch SDL from {url}:")
    assert reason in err

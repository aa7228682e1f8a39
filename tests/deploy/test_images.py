"""The images, checked without a Docker engine: multi-stage, an unprivileged user and no build
tools in the final stage, every COPY source present in the build context, and the Python
package (migrations, templates) complete when installed the way the image installs it."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from common.web import PAGE_CONTENT_SECURITY_POLICY
from devstack.processes import ROOT
from devstack.stack import SUBGRAPHS
from tests.support.compose import SECRETS_SET, compose, environment_of
from tests.support.dockerfile import (
    EDGE_DOCKERFILE,
    Stage,
    edge_image_environment,
    edge_template_variables,
    ignored_patterns,
    is_ignored,
    stages,
)

PYTHON_IMAGE = ROOT / "deploy" / "Dockerfile"
EDGE_IMAGE = EDGE_DOCKERFILE
BUILD_TOOLS = ("build-essential", "gcc", "g++", "make ", "clang")


@pytest.mark.parametrize("path", [PYTHON_IMAGE, EDGE_IMAGE], ids=lambda p: p.name)
def test_multi_stage_with_an_unprivileged_final_stage(path: Path) -> None:
    built = stages(path)
    assert len(built) >= 2, "a build stage and a runtime stage"
    final = built[-1]
    user = final.last("USER")
    assert user is not None, "the final stage sets a USER"
    assert user.split(":")[0] not in {"0", "root"}
    runs = " ".join(args for keyword, args in final.instructions if keyword == "RUN")
    for tool in BUILD_TOOLS:
        assert tool not in runs, f"{path.name}: the final stage installs {tool.strip()}"
    # What the final stage takes from earlier stages is an output, not a toolchain.
    taken = [(sources, origin) for sources, _, origin in final.copies() if origin]
    names = {stage.name for stage in built[:-1]}
    assert all(origin in names for _, origin in taken)


@pytest.mark.parametrize("path", [PYTHON_IMAGE, EDGE_IMAGE], ids=lambda p: p.name)
def test_every_copy_source_is_in_the_build_context(path: Path) -> None:
    patterns = ignored_patterns()
    missing, ignored = [], []
    for stage in stages(path):
        for sources, _, origin in stage.copies():
            if origin is not None:
                continue
            for source in sources:
                if not (ROOT / source).exists():
                    missing.append(source)
                elif is_ignored(source.rstrip("/"), patterns):
                    ignored.append(source)
    assert not missing, f"{path.name} copies what the repository lacks: {missing}"
    assert not ignored, f"{path.name} copies what .dockerignore leaves out: {ignored}"


def test_the_python_image_runs_the_commands_compose_gives_it() -> None:
    final: Stage = stages(PYTHON_IMAGE)[-1]
    assert final.last("ENTRYPOINT") == '["python", "-m"]'
    services = compose(SECRETS_SET)["services"]
    for name, service in services.items():
        if service.get("build", {}).get("dockerfile") != "deploy/Dockerfile":
            continue
        module = service["command"][0]
        assert importlib.util.find_spec(module) is not None, f"{name}: no module {module}"
    # The gateway finds the supergraph the image copies, at its default path under WORKDIR.
    assert final.last("WORKDIR") == "/app"
    copied = {dest for _, dest, origin in final.copies() if origin is None}
    assert "./schema/supergraph.graphql" in copied


def test_the_installed_package_holds_every_subgraphs_migrations(tmp_path: Path) -> None:
    """The image installs the project (not editable): the wheel must carry each Alembic history,
    its env.py and its revision template, which are not Python modules of their own."""
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            ".",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for subgraph in SUBGRAPHS:
        folder = ROOT / "subgraphs" / subgraph.name / "migrations"
        expected = {
            path.relative_to(ROOT).as_posix()
            for path in [
                folder / "env.py",
                folder / "script.py.mako",
                *folder.glob("versions/*.py"),
            ]
        }
        assert expected <= names, expected - names
    assert "schema/supergraph.graphql" in names


def test_the_edge_image_with_compose_defines_every_variable_of_its_template() -> None:
    image = edge_image_environment()
    nginx = environment_of(compose(SECRETS_SET)["services"]["nginx"])
    assert edge_template_variables() <= set(image) | set(nginx)
    # The SPA's CSP is the one the gateway and `make edge` use.
    assert image["SHOP_CONTENT_SECURITY_POLICY"] == PAGE_CONTENT_SECURITY_POLICY
    pattern = re.compile(image["NGINX_ENVSUBST_FILTER"])
    assert all(pattern.match(name) for name in edge_template_variables())

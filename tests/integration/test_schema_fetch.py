"""SDL fetching for `python -m schema compose|check` over real HTTP: a real users subgraph, and a
small Starlette server (run by uvicorn on a free port) that answers the ways subgraphs fail."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from devstack.processes import ROOT, free_port, start, stop, wait_healthy
from devstack.stack import SUBGRAPHS, subgraph_service
from schema.config import SDL_QUERY, SdlFetchError, fetch_sdl

SDL = "type Query { hello: String }\n"


async def sdl(request: Request) -> Response:
    body = await request.json()
    assert body == {"query": SDL_QUERY}
    return JSONResponse({"data": {"_service": {"sdl": SDL}}})


async def server_error(request: Request) -> Response:
    return PlainTextResponse("database\nis down", status_code=503)


async def graphql_errors(request: Request) -> Response:
    errors = [{"message": "Cannot query field '_service' on type 'Query'."}]
    return JSONResponse({"errors": errors, "data": None})


async def no_service(request: Request) -> Response:
    return JSONResponse({"data": {}})


async def empty_sdl(request: Request) -> Response:
    return JSONResponse({"data": {"_service": {"sdl": ""}}})


async def not_json(request: Request) -> Response:
    return PlainTextResponse("<html>hello</html>")


async def not_an_object(request: Request) -> Response:
    return JSONResponse([1, 2])


async def slow(request: Request) -> Response:
    await asyncio.sleep(3)
    return JSONResponse({"data": {"_service": {"sdl": SDL}}})


APP = Starlette(
    routes=[
        Route(f"/{endpoint.__name__}", endpoint, methods=["POST"])
        for endpoint in (
            sdl,
            server_error,
            graphql_errors,
            no_service,
            empty_sdl,
            not_json,
            not_an_object,
            slow,
        )
    ]
)


@pytest.fixture(scope="module")
def fake_subgraph() -> Iterator[str]:
    """The base URL of the Starlette server, serving from a thread of this process."""
    port = free_port()
    config = uvicorn.Config(
        APP, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_fetches_the_sdl(fake_subgraph: str) -> None:
    assert fetch_sdl("hello", f"{fake_subgraph}/sdl") == SDL


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("server_error", "HTTP 503 Service Unavailable: database is down"),
        (
            "graphql_errors",
            "the subgraph answered with errors: Cannot query field '_service' on type 'Query'.",
        ),
        ("no_service", "the answer has no `_service` field; is this a federation subgraph?"),
        ("empty_sdl", "`_service.sdl` is empty or not a string"),
        ("not_json", "the answer is not JSON: <html>hello</html>"),
        ("not_an_object", "the answer is not a GraphQL response: [1, 2]"),
        ("missing", "HTTP 404 Not Found: Not Found"),
    ],
)
def test_failures_name_subgraph_url_and_reason(fake_subgraph: str, path: str, reason: str) -> None:
    url = f"{fake_subgraph}/{path}"
    with pytest.raises(SdlFetchError) as caught:
        fetch_sdl("hello", url)
    assert str(caught.value) == f"subgraph hello: cannot fetch SDL from {url}: {reason}"


def test_timeout(fake_subgraph: str) -> None:
    url = f"{fake_subgraph}/slow"
    started = time.monotonic()
    with pytest.raises(SdlFetchError, match=r"no answer within 0\.3s; is the subgraph running"):
        fetch_sdl("hello", url, timeout=0.3)
    assert time.monotonic() - started < 2


def test_nothing_listening() -> None:
    url = f"http://127.0.0.1:{free_port()}/graphql"
    with pytest.raises(SdlFetchError) as caught:
        fetch_sdl("hello", url)
    message = str(caught.value)
    assert message.startswith(f"subgraph hello: cannot fetch SDL from {url}: cannot connect (")
    assert message.endswith("start the subgraph or give its `sdl:` file")


@pytest.fixture(scope="module")
def users_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real users subgraph on a free port, on a throwaway SQLite database."""
    folder = tmp_path_factory.mktemp("schema-fetch")
    users = next(sg for sg in SUBGRAPHS if sg.name == "users")
    env = {"REDIS_ENABLED": "false", "EVENTS_LOG_URL": f"sqlite+aiosqlite:///{folder}/events.db"}
    service = subgraph_service(
        users,
        free_port(),
        db_url=f"sqlite+aiosqlite:///{folder}/users.db",
        log_dir=folder,
        extra_env=env,
    )
    try:
        wait_healthy(start(service), timeout=90)
        yield f"{service.url}/graphql"
    finally:
        stop([service])


def test_a_running_subgraph_gives_the_sdl_it_prints(users_url: str) -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "subgraphs.users", "sdl"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert fetch_sdl("users", users_url).strip() == printed.strip()


def test_check_against_the_checked_in_supergraph_with_a_fetched_subgraph(
    users_url: str, tmp_path: Path
) -> None:
    """`python -m schema check`, users asked over HTTP, the others read from their files."""
    config = (ROOT / "schema" / "subgraphs.yaml").read_text(encoding="utf-8")
    config = config.replace("    sdl: schema/subgraphs/users.graphql\n", "")
    config = config.replace("http://127.0.0.1:8081/graphql", users_url)
    # The routing URL is part of the supergraph, not of the API schema: no change expected.
    (tmp_path / "subgraphs.yaml").write_text(config, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "schema",
            "check",
            "--config",
            str(tmp_path / "subgraphs.yaml"),
            "--against",
            "schema/supergraph.graphql",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "No changes to the API schema against schema/supergraph.graphql.\n"

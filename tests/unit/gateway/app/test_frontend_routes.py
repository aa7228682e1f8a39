"""The web front served by the gateway: the SPA with its history fallback, hashed assets with
long cache lifetimes, GraphiQL's page from the same build, and the API's paths left alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.app.frontend import CONTENT_SECURITY_POLICY
from gateway.supergraph import Supergraph
from gateway.transport import MockSubgraphClient, SubgraphResponse

INDEX = b'<!doctype html><title>Shop</title><script type="module" src="/assets/index-1a2b.js">'
GRAPHIQL = b'<!doctype html><title>GraphiQL</title><div id="graphiql"></div>'


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A build as `npm run build` lays it out."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_bytes(INDEX)
    (tmp_path / "graphiql.html").write_bytes(GRAPHIQL)
    (tmp_path / "assets" / "index-1a2b.js").write_text("console.log('shop')")
    (tmp_path / "assets" / "index-9f8e.css").write_text("body{margin:0}")
    (tmp_path / "secret.txt").write_text("outside assets/")
    return tmp_path


def client(supergraph: Supergraph, dist: Path, **settings: Any) -> httpx.AsyncClient:
    mock = MockSubgraphClient(lambda _: SubgraphResponse({}))
    app = create_app(
        GatewaySettings(frontend_dist=dist, **settings),
        supergraph=supergraph,
        client=mock,
        environ={},
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://gateway")


@pytest.mark.parametrize("path", ["/", "/orders", "/orders/12?placed=1", "/admin/audit"])
async def test_pages_get_the_spa_uncached_with_its_policy(
    users_orders: Supergraph, dist: Path, path: str
) -> None:
    response = await client(users_orders, dist).get(path)
    assert response.status_code == 200
    assert response.content == INDEX
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


async def test_hashed_assets_are_cached_for_a_year(users_orders: Supergraph, dist: Path) -> None:
    shop = client(users_orders, dist)
    script = await shop.get("/assets/index-1a2b.js")
    assert script.status_code == 200
    assert script.text == "console.log('shop')"
    assert script.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert script.headers["cache-control"] == "public, max-age=31536000, immutable"
    style = await shop.get("/assets/index-9f8e.css")
    assert style.headers["content-type"].startswith("text/css")


@pytest.mark.parametrize(
    "path", ["/assets/missing.js", "/assets/../secret.txt", "/assets/%2e%2e/secret.txt"]
)
async def test_no_file_outside_the_assets_nor_a_page_for_a_missing_one(
    users_orders: Supergraph, dist: Path, path: str
) -> None:
    response = await client(users_orders, dist).get(path)
    assert response.status_code == 404
    assert b"outside assets" not in response.content
    assert response.content != INDEX


@pytest.mark.parametrize("path", ["/favicon.ico", "/api/v1/nothing-here", "/graphql/x", "/api"])
async def test_files_and_api_paths_never_fall_back_to_the_spa(
    users_orders: Supergraph, dist: Path, path: str
) -> None:
    response = await client(users_orders, dist).get(path)
    assert response.status_code == 404
    assert response.content != INDEX


async def test_api_routes_answer_as_before(users_orders: Supergraph, dist: Path) -> None:
    shop = client(users_orders, dist)
    health = await shop.get("/health")
    assert health.json()["status"] == "ok"
    assert (await shop.get("/metrics")).headers["content-type"].startswith("text/plain")
    assert (await shop.get("/openapi.json")).json()["openapi"].startswith("3.")
    assert b"swagger" in (await shop.get("/swagger")).content.lower()
    # A POST-only route still says 405 to a GET, not the SPA.
    assert (await shop.get("/api/v1/auth/token")).status_code == 405


async def test_graphiql_is_the_build_s_page_outside_production(
    users_orders: Supergraph, dist: Path
) -> None:
    page = await client(users_orders, dist).get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert page.content == GRAPHIQL
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    production = client(users_orders, dist, env="production")
    refused = await production.get("/graphql", headers={"Accept": "text/html"})
    assert refused.content != GRAPHIQL
    assert refused.headers["content-type"].startswith("application/")


async def test_without_a_build_pages_say_how_to_make_one(
    users_orders: Supergraph, tmp_path: Path
) -> None:
    shop = client(users_orders, tmp_path / "not-built")
    for response in (
        await shop.get("/"),
        await shop.get("/graphql", headers={"Accept": "text/html"}),
    ):
        assert response.status_code == 404
        assert "make frontend" in response.text
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert (await shop.post("/graphql", json={"query": "{ __typename }"})).json() == {
        "data": {"__typename": "Query"}
    }

"""Our API schema prints as @apollo/federation-internals' does, for every fixture supergraph and
the federation scenarios' the planner tests use, and a full introspection through the app
rebuilds to that same schema."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from graphql import build_client_schema, get_introspection_query, print_schema

from common.settings import GatewaySettings
from gateway.app import create_app
from gateway.supergraph import Supergraph, parse_supergraph
from gateway.supergraph.loader import SUPPORTED_FEATURES
from gateway.transport import MockSubgraphClient
from tests.support.node import run_per_supergraph
from tests.support.supergraphs import scenario_supergraph

HERE = Path(__file__).parent
SUPERGRAPHS = sorted(
    path
    for path in [
        *(HERE / "fixtures").glob("*.graphql"),
        *(HERE.parent / "fixtures").glob("*.graphql"),
        *map(
            scenario_supergraph,
            [
                "cheapest",
                "detours",
                "provides_detours",
                "response_name_conflicts",
                "subgraph_validity",
            ],
        ),
    ]
    if "__Graph" in path.read_text()  # supergraphs only, not operations
)
#: Features this gateway refuses to serve but whose API schema is still well defined.
EXTRA_FEATURES = frozenset(
    {"https://specs.apollo.dev/context/v0.1", "https://specs.apollo.dev/connect/v0.3"}
)

pytestmark = pytest.mark.node


def supergraph_id(path: Path) -> str:
    """A fixture's name, or a scenario's (its file is `<scenario>/supergraph.graphql`)."""
    return path.parent.name if path.name == "supergraph.graphql" else path.stem


def whitespace_normalised(sdl: str) -> str:
    """graphql-core prints object values as `{ a: 1 }`, graphql-js 16 as `{a: 1}`."""
    sdl = re.sub(r"\{ (?=\S)", "{", sdl.strip())
    return re.sub(r"(?<=\S) \}", "}", sdl)


def load(path: Path) -> Supergraph:
    return parse_supergraph(
        path.read_text(), supported_features=SUPPORTED_FEATURES | EXTRA_FEATURES
    )


@pytest.fixture(scope="module")
def apollo_api_schemas() -> dict[Path, str]:
    """@apollo/federation-internals' API schema of every supergraph, from one Node process."""
    schemas = {}
    for path, result in run_per_supergraph("api_schema.mjs", SUPERGRAPHS).items():
        assert result.schema is not None, f"{path.name}: {result.error}"
        schemas[path] = result.schema
    return schemas


@pytest.mark.parametrize("path", SUPERGRAPHS, ids=supergraph_id)
def test_api_schema_prints_as_apollos(path: Path, apollo_api_schemas: dict[Path, str]) -> None:
    ours = print_schema(load(path).api_schema)
    assert whitespace_normalised(ours) == whitespace_normalised(apollo_api_schemas[path])


@pytest.mark.parametrize("path", SUPERGRAPHS, ids=supergraph_id)
async def test_introspection_through_the_app_rebuilds_apollos_api_schema(
    path: Path, apollo_api_schemas: dict[Path, str]
) -> None:
    mock = MockSubgraphClient(lambda request: pytest.fail("introspection called a subgraph"))
    app = create_app(GatewaySettings(), supergraph=load(path), client=mock, environ={})
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        response = await client.post(
            "/graphql",
            json={
                "query": get_introspection_query(
                    descriptions=True, specified_by_url=True, input_value_deprecation=True
                )
            },
        )
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    rebuilt = print_schema(build_client_schema(body["data"]))
    assert whitespace_normalised(rebuilt) == whitespace_normalised(apollo_api_schemas[path])
    assert mock.requests == []

"""The HTTP application: FastAPI wiring of the GraphQL pipeline, health and metrics."""

from gateway.app.factory import create_app
from gateway.app.params import GraphQLParams
from gateway.app.pipeline import run_graphql
from gateway.app.runtime import GatewayRuntime
from gateway.app.state import Gateway
from gateway.app.subgraph_urls import url_overrides, url_variable

__all__ = [
    "Gateway",
    "GatewayRuntime",
    "GraphQLParams",
    "create_app",
    "run_graphql",
    "url_overrides",
    "url_variable",
]

"""Reading a composed supergraph: its spec links and the API schema clients see.

Shared by the gateway (which serves the API schema) and the schema tooling (which compares API
schemas); it depends on graphql-core only.
"""

from common.federation.api_schema import api_schema_of, build_api_schema
from common.federation.errors import SupergraphError
from common.federation.links import LinkedSpecs, read_links

__all__ = ["LinkedSpecs", "SupergraphError", "api_schema_of", "build_api_schema", "read_links"]

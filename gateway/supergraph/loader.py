"""Load a supergraph SDL into the immutable `Supergraph` model."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    GraphQLSyntaxError,
    SchemaDefinitionNode,
    build_ast_schema,
    parse,
    print_schema,
)

from common.federation.api_schema import build_api_schema
from common.federation.links import CORE_IDENTITY, INACCESSIBLE_IDENTITY, JOIN_IDENTITY, read_links
from gateway.supergraph.access import ACCESS_FEATURES, AccessReader
from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.join import JoinReader
from gateway.supergraph.model import Supergraph

#: Specs this gateway honours. A link `for: EXECUTION` or `for: SECURITY` to any other spec means
#: the supergraph cannot be served correctly, so it is refused (as the link spec requires).
SUPPORTED_FEATURES = frozenset(
    {
        *(f"{CORE_IDENTITY}/v0.{minor}" for minor in (1, 2)),
        *(f"{JOIN_IDENTITY}/v0.{minor}" for minor in (1, 2, 3, 4, 5)),
        *(f"https://specs.apollo.dev/tag/v0.{minor}" for minor in (1, 2, 3)),
        *(f"{INACCESSIBLE_IDENTITY}/v0.{minor}" for minor in (1, 2)),
        *ACCESS_FEATURES,
    }
)


def parse_supergraph(
    sdl: str, *, supported_features: frozenset[str] = SUPPORTED_FEATURES
) -> Supergraph:
    """Parse a supergraph SDL; raise `SupergraphError` saying why it is not usable.

    `supported_features`: spec URLs (`https://specs.apollo.dev/join/v0.3`) that may be linked
    `for: EXECUTION` or `for: SECURITY`; any other such link refuses the supergraph.
    """
    try:
        document = parse(sdl, no_location=True)
    except GraphQLSyntaxError as exc:
        raise SupergraphError(f"invalid supergraph SDL: {exc.message} at {_where(exc)}") from None
    schema_definition = next(
        (d for d in document.definitions if isinstance(d, SchemaDefinitionNode)), None
    )
    if schema_definition is None:
        raise SupergraphError("not a supergraph: no schema definition with @link directives")
    links = read_links(schema_definition.directives or ())
    links.check_supported(supported_features)
    join = links.find(JOIN_IDENTITY)
    if join is None:
        raise SupergraphError("not a supergraph: the join spec is not linked from the schema")
    reader = JoinReader(document, join)
    types = reader.read_types(links.owns_type)
    access = AccessReader(links)
    if access.linked:
        types = access.apply(document, types)
    has_access = any(
        t.access is not None or any(f.access is not None for f in t.fields.values())
        for t in types.values()
    )
    api_schema = build_api_schema(document, links)
    return Supergraph(
        graphs=reader.graphs,
        types=MappingProxyType(types),
        schema=_full_schema(document),
        api_schema=api_schema,
        api_sdl=print_schema(api_schema),
        join_version=join.url.version_text,
        has_access_requirements=has_access,
    )


def load_supergraph(path: str | Path) -> Supergraph:
    """Read and parse a supergraph file; raise `SupergraphError` naming the file on failure."""
    try:
        sdl = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise SupergraphError(f"cannot read supergraph {path}: {exc.strerror or exc}") from None
    try:
        return parse_supergraph(sdl)
    except SupergraphError as exc:
        raise SupergraphError(f"{path}: {exc}") from None


def _full_schema(document: DocumentNode) -> GraphQLSchema:
    """The whole supergraph as a schema; the planner reads field types and possible types here."""
    try:
        return build_ast_schema(document, assume_valid_sdl=True)
    except (GraphQLError, TypeError) as exc:
        raise SupergraphError(f"cannot build the supergraph schema: {exc}") from None


def _where(exc: GraphQLSyntaxError) -> str:
    locations = exc.locations or []
    return f"line {locations[0].line}, column {locations[0].column}" if locations else "?"

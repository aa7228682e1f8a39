"""The immutable supergraph model: graphs, and for each type and field which graphs define it.

Built once by `gateway.supergraph.loader`; shared read-only by the planner and the executor.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from graphql import GraphQLSchema

from gateway.supergraph.fieldset import FieldSet

TypeKind = Literal["OBJECT", "INTERFACE", "UNION", "ENUM", "INPUT_OBJECT", "SCALAR"]


@dataclass(frozen=True)
class Graph:
    """A subgraph: its name (`users`), its URL and its `join__Graph` enum value (`USERS`)."""

    name: str
    url: str
    enum_value: str


@dataclass(frozen=True)
class Key:
    """A key by which `graph` can fetch (or, when not resolvable, only reference) an entity."""

    graph: str
    fields: FieldSet
    resolvable: bool = True


@dataclass(frozen=True)
class TypeInGraph:
    """How one graph defines a type (`@join__type`)."""

    graph: str
    keys: tuple[Key, ...] = ()
    extension: bool = False
    is_interface_object: bool = False


@dataclass(frozen=True)
class ContextArgument:
    """A join v0.5 `contextArguments` entry: argument `name` of type `type` is filled from the
    `selection` of the ancestor marked `@context(name: context)`."""

    name: str
    type: str
    context: str
    selection: str


@dataclass(frozen=True)
class AccessRequirement:
    """What `@authenticated`, `@requiresScopes` and `@policy` ask of a caller for one type or
    field (gateway/supergraph/access.py reads them)."""

    authenticated: bool = False
    #: `@requiresScopes`: alternatives, each a set of scopes all needed; None: no such directive
    scopes: tuple[frozenset[str], ...] | None = None
    #: `@policy`: alternatives, each a set of policies all needed; None: no such directive
    policies: tuple[frozenset[str], ...] | None = None


@dataclass(frozen=True)
class FieldInGraph:
    """One `@join__field` application: how one graph defines a field."""

    graph: str | None
    requires: FieldSet | None = None
    provides: FieldSet | None = None
    type: str | None = None
    external: bool = False
    override: str | None = None
    override_label: str | None = None
    used_overridden: bool = False
    context_arguments: tuple[ContextArgument, ...] = ()


@dataclass(frozen=True)
class FieldInfo:
    """A field of a composite type and the graphs that can resolve it."""

    name: str
    parent: str
    #: the field's named type (`Order` for `[Order!]!`)
    type_name: str
    joins: tuple[FieldInGraph, ...]
    resolved_by: frozenset[str]
    #: what the field's own access-control directives require (None: nothing)
    access: AccessRequirement | None = None

    def join_in(self, graph: str) -> FieldInGraph | None:
        """The `@join__field` of `graph` for this field, if there is one."""
        return next((j for j in self.joins if j.graph == graph), None)


@dataclass(frozen=True)
class TypeInfo:
    """A named type of the supergraph and the graphs that define it."""

    name: str
    kind: TypeKind
    graphs: Mapping[str, TypeInGraph]
    fields: Mapping[str, FieldInfo]
    #: graph -> interfaces it knows this type implements (`@join__implements`)
    implements: Mapping[str, frozenset[str]] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )
    #: graph -> union members it knows (`@join__unionMember`)
    union_members: Mapping[str, frozenset[str]] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )
    #: what the type's access-control directives require wherever it is returned (None: nothing)
    access: AccessRequirement | None = None

    @property
    def keys(self) -> tuple[Key, ...]:
        """Every key of every graph, in graph order."""
        return tuple(key for member in self.graphs.values() for key in member.keys)

    def resolvable_keys(self, graph: str) -> tuple[Key, ...]:
        """Keys by which `graph` can be asked for this entity through `_entities`."""
        member = self.graphs.get(graph)
        return tuple(k for k in member.keys if k.resolvable) if member else ()

    def defined_in(self, graph: str) -> bool:
        """Whether `graph` defines this type."""
        return graph in self.graphs


@dataclass(frozen=True, eq=False)
class Supergraph:
    """The loaded supergraph: graphs, type metadata, the full schema and the API schema."""

    graphs: Mapping[str, Graph]
    types: Mapping[str, TypeInfo]
    #: the supergraph as a schema, `@inaccessible` elements included (what subgraphs may see)
    schema: GraphQLSchema
    #: what clients see: validate and introspect against this
    api_schema: GraphQLSchema
    api_sdl: str
    join_version: str
    #: whether some type or field carries `@authenticated`, `@requiresScopes` or `@policy`
    has_access_requirements: bool = False

    def type(self, name: str) -> TypeInfo:
        """Metadata of the named type; `KeyError` when the supergraph has no such type."""
        return self.types[name]

    def field(self, type_name: str, field_name: str) -> FieldInfo | None:
        """Metadata of a field, or None for `__typename` and unknown fields."""
        info = self.types.get(type_name)
        return info.fields.get(field_name) if info else None

    def with_urls(self, urls: Mapping[str, str]) -> Supergraph:
        """A copy whose graphs named in `urls` get those URLs (deployment overrides)."""
        unknown = set(urls) - set(self.graphs)
        if unknown:
            raise KeyError(f"no such subgraph: {', '.join(sorted(unknown))}")
        graphs = {
            name: dataclasses.replace(graph, url=urls.get(name, graph.url))
            for name, graph in self.graphs.items()
        }
        return dataclasses.replace(self, graphs=MappingProxyType(graphs))

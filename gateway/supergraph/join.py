"""Read the `join` spec metadata (v0.1 to v0.5) of a supergraph document into the model.

https://specs.apollo.dev/join/v0.5 -- `@join__graph`, `@join__type`, `@join__field` (v0.4
`overrideLabel`, v0.5 `contextArguments`), `@join__implements`, `@join__unionMember`; v0.1 has
`@join__owner` instead. `@join__directive` and `@join__enumValue` are not needed to plan.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    TypeDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    value_from_ast_untyped,
)
from graphql.language import ListTypeNode, NonNullTypeNode

from common.federation.links import Link
from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.fieldset import FieldSet, parse_field_set
from gateway.supergraph.model import (
    ContextArgument,
    FieldInfo,
    FieldInGraph,
    Graph,
    Key,
    TypeInfo,
    TypeInGraph,
    TypeKind,
)

SUPPORTED_VERSIONS = frozenset({(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)})
_CONTEXT_FIELDS = ("name", "type", "context", "selection")

_KINDS: Mapping[type[TypeDefinitionNode], TypeKind] = {
    ObjectTypeDefinitionNode: "OBJECT",
    InterfaceTypeDefinitionNode: "INTERFACE",
    UnionTypeDefinitionNode: "UNION",
    EnumTypeDefinitionNode: "ENUM",
    InputObjectTypeDefinitionNode: "INPUT_OBJECT",
    ScalarTypeDefinitionNode: "SCALAR",
}


class JoinReader:
    """Reads join metadata from one supergraph document, under the link's local names."""

    def __init__(self, document: DocumentNode, join: Link) -> None:
        if join.url.version not in SUPPORTED_VERSIONS:
            raise SupergraphError(
                f"unsupported join spec version {join.url.version_text} (supported: v0.1 to v0.5)"
            )
        self.document = document
        self.join = join
        self.graphs = self._read_graphs()
        self._by_enum = {g.enum_value: g.name for g in self.graphs.values()}

    def read_types(self, is_spec_type: Any) -> dict[str, TypeInfo]:
        """Every type definition that is not a spec element, with its join metadata."""
        types: dict[str, TypeInfo] = {}
        for definition in self.document.definitions:
            kind = _KINDS.get(type(definition))  # type: ignore[arg-type]
            if kind is None or not isinstance(definition, TypeDefinitionNode):
                continue
            name = definition.name.value
            if is_spec_type(name):
                continue
            types[name] = self._read_type(definition, kind)
        return types

    def _read_graphs(self) -> Mapping[str, Graph]:
        enum_name = self.join.type_name("Graph")
        enum = next(
            (
                d
                for d in self.document.definitions
                if isinstance(d, EnumTypeDefinitionNode) and d.name.value == enum_name
            ),
            None,
        )
        if enum is None:
            raise SupergraphError(f"not a supergraph: the graph enum {enum_name} is missing")
        graph_directive = self.join.directive_name("graph")
        graphs: dict[str, Graph] = {}
        for value in enum.values or ():
            args = _single(value.directives, graph_directive)
            if args is None or not isinstance(args.get("name"), str):
                raise SupergraphError(
                    f"{enum_name}.{value.name.value} has no @{graph_directive}(name:, url:)"
                )
            name = args["name"]
            if name in graphs:
                raise SupergraphError(f"two graphs named {name!r} in {enum_name}")
            graphs[name] = Graph(
                name=name, url=str(args.get("url") or ""), enum_value=value.name.value
            )
        if not graphs:
            raise SupergraphError(f"not a supergraph: the graph enum {enum_name} is empty")
        return MappingProxyType(graphs)

    def _graph(self, raw: object, where: str) -> str:
        """The graph name of a `graph:` enum value argument."""
        if not isinstance(raw, str) or raw not in self._by_enum:
            raise SupergraphError(f"{where}: unknown graph {raw!r}")
        return self._by_enum[raw]

    def _read_type(self, definition: TypeDefinitionNode, kind: TypeKind) -> TypeInfo:
        name = definition.name.value
        members = self._type_members(definition, name)
        fields: dict[str, FieldInfo] = {}
        if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            owner = self._owner(definition.directives, name)
            for field in definition.fields or ():
                fields[field.name.value] = self._read_field(field, name, members, owner)
            if owner is not None:
                _add_key_fields(fields, members)
        implements: dict[str, frozenset[str]] = {}
        if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            declared = frozenset(i.name.value for i in definition.interfaces or ())
            implements = self._per_graph(
                definition.directives, "implements", "interface", members, declared, name
            )
        union_members: dict[str, frozenset[str]] = {}
        if isinstance(definition, UnionTypeDefinitionNode):
            declared = frozenset(t.name.value for t in definition.types or ())
            union_members = self._per_graph(
                definition.directives, "unionMember", "member", members, declared, name
            )
        return TypeInfo(
            name=name,
            kind=kind,
            graphs=MappingProxyType(members),
            fields=MappingProxyType(fields),
            implements=MappingProxyType(implements),
            union_members=MappingProxyType(union_members),
        )

    def _type_members(self, definition: TypeDefinitionNode, name: str) -> dict[str, TypeInGraph]:
        directive = self.join.directive_name("type")
        applications = _all(definition.directives, directive)
        if not applications:
            # join v0.1 marks only entities; a type without @join__type is a value type that
            # every graph defines.
            return {g: TypeInGraph(graph=g) for g in self.graphs}
        keys: dict[str, list[Key]] = {}
        flags: dict[str, tuple[bool, bool]] = {}
        for args in applications:
            graph = self._graph(args.get("graph"), f"@{directive} on {name}")
            keys.setdefault(graph, [])
            extension = bool(args.get("extension", False))
            interface_object = bool(args.get("isInterfaceObject", False))
            old = flags.get(graph, (False, False))
            flags[graph] = (old[0] or extension, old[1] or interface_object)
            key = args.get("key")
            if isinstance(key, str):
                resolvable = args.get("resolvable", True) is not False
                keys[graph].append(
                    Key(graph=graph, fields=parse_field_set(key), resolvable=resolvable)
                )
        return {
            g: TypeInGraph(
                graph=g, keys=tuple(keys[g]), extension=flags[g][0], is_interface_object=flags[g][1]
            )
            for g in self.graphs
            if g in keys
        }

    def _owner(self, directives: Iterable[DirectiveNode] | None, name: str) -> str | None:
        """The v0.1 `@join__owner(graph:)`: the graph resolving fields without `@join__field`."""
        args = _single(directives, self.join.directive_name("owner"))
        return self._graph(args.get("graph"), f"@join__owner on {name}") if args else None

    def _read_field(
        self,
        field: FieldDefinitionNode,
        parent: str,
        members: Mapping[str, TypeInGraph],
        owner: str | None,
    ) -> FieldInfo:
        where = f"@{self.join.directive_name('field')} on {parent}.{field.name.value}"
        joins = tuple(
            FieldInGraph(
                graph=self._graph(args["graph"], where) if args.get("graph") is not None else None,
                requires=_field_set(args.get("requires")),
                provides=_field_set(args.get("provides")),
                type=_str(args.get("type")),
                external=bool(args.get("external", False)),
                override=_str(args.get("override")),
                override_label=_str(args.get("overrideLabel")),
                used_overridden=bool(args.get("usedOverridden", False)),
                context_arguments=_context_arguments(args.get("contextArguments"), where),
            )
            for args in _all(field.directives, self.join.directive_name("field"))
        )
        if joins:
            # An external field is only declared to be used in a key or `requires`; a field that
            # was overridden is kept only for such uses too. Neither resolves the field.
            resolved_by = frozenset(
                j.graph for j in joins if j.graph and not j.external and not j.used_overridden
            )
        elif owner is not None:
            resolved_by = frozenset({owner})
        else:
            resolved_by = frozenset(members)
        return FieldInfo(
            name=field.name.value,
            parent=parent,
            type_name=_named_type(field.type),
            joins=joins,
            resolved_by=resolved_by,
        )

    def _per_graph(
        self,
        directives: Iterable[DirectiveNode] | None,
        element: str,
        argument: str,
        members: Mapping[str, TypeInGraph],
        declared: frozenset[str],
        name: str,
    ) -> dict[str, frozenset[str]]:
        """graph -> names from `@join__implements`/`@join__unionMember`; before v0.2/v0.3 (no such
        directive) every graph of the type is taken to know all that is declared."""
        directive = self.join.directive_name(element)
        applications = _all(directives, directive)
        if not applications:
            return {g: declared for g in members}
        result: dict[str, set[str]] = {}
        for args in applications:
            graph = self._graph(args.get("graph"), f"@{directive} on {name}")
            result.setdefault(graph, set()).add(str(args.get(argument)))
        return {g: frozenset(v) for g, v in result.items()}


def _all(directives: Iterable[DirectiveNode] | None, name: str) -> list[dict[str, Any]]:
    """Arguments of every application of directive `name`, as plain values."""
    return [
        {a.name.value: value_from_ast_untyped(a.value) for a in d.arguments or ()}
        for d in directives or ()
        if d.name.value == name
    ]


def _single(directives: Iterable[DirectiveNode] | None, name: str) -> dict[str, Any] | None:
    return next(iter(_all(directives, name)), None)


def _add_key_fields(fields: dict[str, FieldInfo], members: Mapping[str, TypeInGraph]) -> None:
    """join v0.1 lists only the owner on key fields, yet every graph with a key has its key
    fields (as `@external` ones filled from the representation): let those graphs resolve them."""
    for member in members.values():
        for key in member.keys:
            for name in key.fields.top_level_names:
                info = fields.get(name)
                if info is not None and member.graph not in info.resolved_by:
                    fields[name] = dataclasses.replace(
                        info, resolved_by=info.resolved_by | {member.graph}
                    )


def _context_arguments(raw: object, where: str) -> tuple[ContextArgument, ...]:
    """join v0.5 `contextArguments: [{name, type, context, selection}]`."""
    arguments: list[ContextArgument] = []
    for item in raw if isinstance(raw, list) else [] if raw is None else [raw]:
        fields = [item.get(k) if isinstance(item, dict) else None for k in _CONTEXT_FIELDS]
        if not all(isinstance(f, str) for f in fields):
            raise SupergraphError(f"{where}: bad contextArguments entry {item!r}")
        arguments.append(ContextArgument(*(str(f) for f in fields)))
    return tuple(arguments)


def _field_set(raw: object) -> FieldSet | None:
    return parse_field_set(raw) if isinstance(raw, str) and raw.strip() else None


def _str(raw: object) -> str | None:
    return raw if isinstance(raw, str) else None


def _named_type(node: TypeNode) -> str:
    while isinstance(node, ListTypeNode | NonNullTypeNode):
        node = node.type
    return node.name.value  # type: ignore[attr-defined, no-any-return]

"""Derive the API schema: the supergraph minus every linked spec's elements and `@inaccessible`.

What is removed: definitions owned by linked specs (`join__*`, `link__*`, `@inaccessible`, `@tag`,
...), their applications everywhere, the `@link` applications on `schema`, and every type, field,
argument, enum value, input field, union member and interface marked `@inaccessible` (with fields
whose type is gone). See https://specs.apollo.dev/inaccessible/v0.2/.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, TypeVar, cast

from graphql import (
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    NamedTypeNode,
    ObjectTypeDefinitionNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    parse,
    validate_schema,
)
from graphql.language import ListTypeNode, Node, NonNullTypeNode

from common.federation.errors import SupergraphError
from common.federation.links import INACCESSIBLE_IDENTITY, LinkedSpecs, read_links

N = TypeVar("N", bound=Node)


class ApiSchemaFilter:
    """Removes spec elements and inaccessible elements from a supergraph document."""

    def __init__(self, links: LinkedSpecs) -> None:
        self.links = links
        inaccessible = links.find(INACCESSIBLE_IDENTITY)
        self.inaccessible = inaccessible.directive_name("inaccessible") if inaccessible else None

    def document(self, document: DocumentNode) -> DocumentNode:
        """The API schema document of a supergraph document."""
        removed = {
            d.name.value
            for d in document.definitions
            if isinstance(d, TypeDefinitionNode)
            and (self.links.owns_type(d.name.value) or self._hidden(d.directives))
        }
        definitions: list[Any] = []
        for definition in document.definitions:
            if isinstance(definition, SchemaDefinitionNode):
                definitions.append(_replace(definition, directives=self._directives(definition)))
            elif isinstance(definition, DirectiveDefinitionNode):
                if not self.links.owns_directive(definition.name.value):
                    definitions.append(self._directive_definition(definition, removed))
            elif isinstance(definition, TypeDefinitionNode):
                if definition.name.value not in removed:
                    definitions.append(self._type(definition, removed))
            else:
                definitions.append(definition)
        return DocumentNode(definitions=tuple(definitions))

    def _hidden(self, directives: Iterable[DirectiveNode] | None) -> bool:
        return self.inaccessible is not None and any(
            d.name.value == self.inaccessible for d in directives or ()
        )

    def _directives(self, node: Any) -> tuple[DirectiveNode, ...]:
        """The node's directive applications that belong to no linked spec."""
        return tuple(
            d for d in node.directives or () if not self.links.owns_directive(d.name.value)
        )

    def _type(self, node: TypeDefinitionNode, removed: set[str]) -> TypeDefinitionNode:
        changes: dict[str, Any] = {"directives": self._directives(node)}
        if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            changes["fields"] = tuple(
                self._field(f, removed) for f in node.fields or () if self._kept(f, removed)
            )
            changes["interfaces"] = tuple(
                i for i in node.interfaces or () if i.name.value not in removed
            )
        elif isinstance(node, UnionTypeDefinitionNode):
            changes["types"] = tuple(t for t in node.types or () if t.name.value not in removed)
        elif isinstance(node, EnumTypeDefinitionNode):
            changes["values"] = tuple(
                _replace(v, directives=self._directives(v))
                for v in node.values or ()
                if not self._hidden(v.directives)
            )
        elif isinstance(node, InputObjectTypeDefinitionNode):
            changes["fields"] = tuple(
                self._input_value(f) for f in node.fields or () if self._kept(f, removed)
            )
        return _replace(node, **changes)

    def _kept(
        self, node: FieldDefinitionNode | InputValueDefinitionNode, removed: set[str]
    ) -> bool:
        return not self._hidden(node.directives) and _named(node.type) not in removed

    def _field(self, node: FieldDefinitionNode, removed: set[str]) -> FieldDefinitionNode:
        arguments = tuple(
            self._input_value(a) for a in node.arguments or () if self._kept(a, removed)
        )
        return _replace(node, directives=self._directives(node), arguments=arguments)

    def _input_value(self, node: InputValueDefinitionNode) -> InputValueDefinitionNode:
        return _replace(node, directives=self._directives(node))

    def _directive_definition(
        self, node: DirectiveDefinitionNode, removed: set[str]
    ) -> DirectiveDefinitionNode:
        arguments = tuple(
            self._input_value(a) for a in node.arguments or () if self._kept(a, removed)
        )
        return _replace(node, arguments=arguments)


def build_api_schema(document: DocumentNode, links: LinkedSpecs) -> GraphQLSchema:
    """Build and validate the API schema of a supergraph document."""
    api_document = ApiSchemaFilter(links).document(document)
    try:
        schema = build_ast_schema(api_document)
    except (GraphQLError, TypeError) as exc:
        raise SupergraphError(f"cannot build the API schema: {exc}") from None
    errors = validate_schema(schema)
    if errors:
        raise SupergraphError(f"invalid API schema: {errors[0].message}")
    return schema


def _replace(node: N, **changes: Any) -> N:
    """A copy of an AST node with some attributes replaced."""
    # graphql-core 3.3 nodes are frozen dataclasses; 3.2 nodes are plain objects with __copy__.
    if dataclasses.is_dataclass(node):
        return cast(N, dataclasses.replace(node, **changes))
    copy = cast(N, node.__copy__())  # type: ignore[attr-defined]
    for key, value in changes.items():
        setattr(copy, key, value)
    return copy


def _named(node: TypeNode) -> str:
    while isinstance(node, ListTypeNode | NonNullTypeNode):
        node = node.type
    assert isinstance(node, NamedTypeNode)
    return node.name.value


def api_schema_of(supergraph_sdl: str) -> GraphQLSchema:
    """The API schema of a supergraph SDL; `SupergraphError` when it cannot be read."""
    try:
        document = parse(supergraph_sdl, no_location=True)
    except GraphQLError as exc:
        raise SupergraphError(f"invalid supergraph SDL: {exc.message}") from None
    definition = next(
        (d for d in document.definitions if isinstance(d, SchemaDefinitionNode)), None
    )
    if definition is None:
        raise SupergraphError("not a supergraph: no schema definition with @link directives")
    return build_api_schema(document, read_links(definition.directives or ()))

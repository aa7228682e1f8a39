"""The API schema of a supergraph: what clients see, without the elements of linked specs.

Removed: definitions owned by a linked spec (`join__*`, `link__*`, `@inaccessible`, `@tag`, ...),
their applications everywhere, and every type, field, argument, enum value, input field, union
member and interface marked `@inaccessible` (with the fields whose type is gone). See
https://specs.apollo.dev/link/v1.0/ and https://specs.apollo.dev/inaccessible/v0.2/.

The gateway derives the same schema in `gateway/supergraph/api_schema.py`; `schema` must not import
`gateway`, so this is a second implementation, held to the same output by a test.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

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
    ListTypeNode,
    NamedTypeNode,
    Node,
    NonNullTypeNode,
    ObjectTypeDefinitionNode,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    build_ast_schema,
    parse,
    validate_schema,
    value_from_ast_untyped,
)

N = TypeVar("N", bound=Node)

_BOOTSTRAP = ("https://specs.apollo.dev/link/", "https://specs.apollo.dev/core/")
_INACCESSIBLE = "https://specs.apollo.dev/inaccessible"
_SPEC_URL = re.compile(r"^(?P<identity>.*/(?P<name>[^/]+))/v\d+\.\d+$")


class ApiSchemaError(Exception):
    """The supergraph cannot be parsed, its links are malformed, or its API schema is invalid."""


@dataclass(frozen=True)
class LinkedNames:
    """Which names the specs linked from a supergraph own, and the local name of `@inaccessible`."""

    prefixes: frozenset[str]
    imported_directives: frozenset[str]
    imported_types: frozenset[str]
    inaccessible: str | None

    def owns_directive(self, name: str) -> bool:
        """Whether a linked spec owns the directive `name` (without `@`)."""
        return name in self.prefixes or self._prefixed(name) or name in self.imported_directives

    def owns_type(self, name: str) -> bool:
        """Whether a linked spec owns the type `name`."""
        return self._prefixed(name) or name in self.imported_types

    def _prefixed(self, name: str) -> bool:
        return any(name.startswith(f"{prefix}__") for prefix in self.prefixes)


def read_links(schema_directives: Iterable[DirectiveNode]) -> LinkedNames:
    """Read the `@link` (or `@core`) applications on the schema definition."""
    directives = list(schema_directives)
    # `@link` may itself be renamed (`as: "l"`): its local name is that of the application
    # linking the link spec.
    bootstrap = next(
        (
            d.name.value
            for d in directives
            if (_arguments(d).get("url") or "").startswith(_BOOTSTRAP)
        ),
        None,
    )
    prefixes: set[str] = set()
    directive_imports: set[str] = set()
    type_imports: set[str] = set()
    inaccessible: str | None = None
    for directive in directives:
        args = _arguments(directive)
        url = args.get("url")
        if directive.name.value != bootstrap or not url:
            continue
        match = _SPEC_URL.match(url.rstrip("/"))
        if match is None:
            raise ApiSchemaError(
                f"malformed spec URL {url!r}: expected .../<name>/v<major>.<minor>"
            )
        alias = args.get("as")
        prefix = alias if isinstance(alias, str) else match["name"]
        prefixes.add(prefix)
        imports = _imports(args.get("import"), url)
        directive_imports.update(local[1:] for local in imports.values() if local.startswith("@"))
        type_imports.update(local for local in imports.values() if not local.startswith("@"))
        if match["identity"] == _INACCESSIBLE and inaccessible is None:
            inaccessible = imports.get("@inaccessible", "@" + prefix)[1:]
    return LinkedNames(
        frozenset(prefixes), frozenset(directive_imports), frozenset(type_imports), inaccessible
    )


class ApiSchemaFilter:
    """Removes spec elements and inaccessible elements from a supergraph document."""

    def __init__(self, links: LinkedNames) -> None:
        self.links = links

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
                    arguments = self._inputs(definition.arguments, removed)
                    definitions.append(_replace(definition, arguments=arguments))
            elif isinstance(definition, TypeDefinitionNode):
                if definition.name.value not in removed:
                    definitions.append(self._type(definition, removed))
            else:
                definitions.append(definition)
        return DocumentNode(definitions=tuple(definitions))

    def _hidden(self, directives: Iterable[DirectiveNode] | None) -> bool:
        name = self.links.inaccessible
        return name is not None and any(d.name.value == name for d in directives or ())

    def _directives(self, node: Any) -> tuple[DirectiveNode, ...]:
        """The node's directive applications that belong to no linked spec."""
        return tuple(
            d for d in node.directives or () if not self.links.owns_directive(d.name.value)
        )

    def _kept(
        self, node: FieldDefinitionNode | InputValueDefinitionNode, removed: set[str]
    ) -> bool:
        return not self._hidden(node.directives) and _named(node.type) not in removed

    def _inputs(
        self, nodes: Iterable[InputValueDefinitionNode] | None, removed: set[str]
    ) -> tuple[InputValueDefinitionNode, ...]:
        return tuple(
            _replace(n, directives=self._directives(n))
            for n in nodes or ()
            if self._kept(n, removed)
        )

    def _type(self, node: TypeDefinitionNode, removed: set[str]) -> TypeDefinitionNode:
        changes: dict[str, Any] = {"directives": self._directives(node)}
        if isinstance(node, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
            changes["fields"] = tuple(
                _replace(
                    f,
                    directives=self._directives(f),
                    arguments=self._inputs(f.arguments, removed),
                )
                for f in node.fields or ()
                if self._kept(f, removed)
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
            changes["fields"] = self._inputs(node.fields, removed)
        return _replace(node, **changes)


def api_document(document: DocumentNode) -> DocumentNode:
    """The API schema document of a parsed supergraph."""
    schema_definition = next(
        (d for d in document.definitions if isinstance(d, SchemaDefinitionNode)), None
    )
    if schema_definition is None:
        raise ApiSchemaError("not a supergraph: no schema definition with @link directives")
    return ApiSchemaFilter(read_links(schema_definition.directives or ())).document(document)


def api_schema(supergraph_sdl: str) -> GraphQLSchema:
    """Build and validate the API schema of a supergraph SDL."""
    try:
        document = parse(supergraph_sdl, no_location=True)
    except GraphQLError as error:
        raise ApiSchemaError(f"invalid supergraph SDL: {error.message}") from None
    try:
        schema = build_ast_schema(api_document(document))
    except (GraphQLError, TypeError) as error:
        raise ApiSchemaError(f"cannot build the API schema: {error}") from None
    errors = validate_schema(schema)
    if errors:
        raise ApiSchemaError(f"invalid API schema: {errors[0].message}")
    return schema


def _arguments(directive: DirectiveNode) -> dict[str, Any]:
    """A link's arguments as plain values; `@core(feature:)` is read as `url:`."""
    args = {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()}
    if "url" not in args and "feature" in args:
        args["url"] = args["feature"]
    if not isinstance(args.get("url"), str | None):
        args["url"] = None
    return args


def _imports(raw: object, url: str) -> dict[str, str]:
    """`import: ["@key", {name: "@requires", as: "@r"}]` -> {"@key": "@key", "@requires": "@r"}"""
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise ApiSchemaError(f"@link(url: {url!r}): import must be a list")
    imports: dict[str, str] = {}
    for item in raw:
        if isinstance(item, str):
            imports[item] = item
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            name, local = item["name"], item.get("as", item["name"])
            if not isinstance(local, str) or local.startswith("@") != name.startswith("@"):
                raise ApiSchemaError(f"@link(url: {url!r}): bad import {item!r}")
            imports[name] = local
        else:
            raise ApiSchemaError(f"@link(url: {url!r}): bad import {item!r}")
    return imports


def _replace(node: N, **changes: Any) -> N:
    """A copy of an AST node (a frozen dataclass in graphql-core 3.3) with attributes replaced."""
    return dataclasses.replace(node, **changes)


def _named(node: TypeNode) -> str:
    while isinstance(node, ListTypeNode | NonNullTypeNode):
        node = node.type
    assert isinstance(node, NamedTypeNode)
    return node.name.value

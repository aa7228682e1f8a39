"""Parse a subgraph's SDL into the subgraph model."""

from __future__ import annotations

from collections.abc import Sequence

from graphql import GraphQLError, parse
from graphql.language import (
    ConstDirectiveNode,
    DirectiveDefinitionNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldDefinitionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
)

from .access_control import check_access_control
from .errors import IssueCollector
from .links import (
    BUILTIN_DIRECTIVES,
    FederationLink,
    LinkError,
    feature_links,
    federation1_link,
    find_federation_link,
)
from .model import (
    ENUM,
    INPUT,
    INTERFACE,
    OBJECT,
    SCALAR,
    UNION,
    Applied,
    Argument,
    Element,
    Field,
    Subgraph,
    TypeDef,
)
from .typeref import TypeRef

BUILTIN_SCALARS = ("String", "Int", "Float", "Boolean", "ID")
FEDERATION_PLUMBING_TYPES = ("_Service", "_Entity", "_Any")
FEDERATION_QUERY_FIELDS = ("_service", "_entities")
DEFAULT_ROOTS = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
KINDS: dict[type, str] = {
    ObjectTypeDefinitionNode: OBJECT,
    ObjectTypeExtensionNode: OBJECT,
    InterfaceTypeDefinitionNode: INTERFACE,
    InterfaceTypeExtensionNode: INTERFACE,
    UnionTypeDefinitionNode: UNION,
    UnionTypeExtensionNode: UNION,
    EnumTypeDefinitionNode: ENUM,
    EnumTypeExtensionNode: ENUM,
    InputObjectTypeDefinitionNode: INPUT,
    InputObjectTypeExtensionNode: INPUT,
    ScalarTypeDefinitionNode: SCALAR,
    ScalarTypeExtensionNode: SCALAR,
}


def parse_subgraph(name: str, url: str, sdl: str, issues: IssueCollector) -> Subgraph | None:
    """Parse and check one subgraph; record issues and return None when it is unusable."""
    try:
        document = parse(sdl)
    except GraphQLError as error:
        issues.add("INVALID_GRAPHQL", f"[{name}] {error.message}")
        return None
    schema_directives = _schema_directives(document)
    try:
        link = find_federation_link(schema_directives)
    except LinkError as error:
        issues.add("INVALID_LINK_DIRECTIVE_USAGE", f"[{name}] {error}")
        return None
    if link is None:
        link = federation1_link()
    unknown = link.unknown_imports()
    for imported in unknown:
        issues.add(
            "INVALID_LINK_DIRECTIVE_USAGE", f'[{name}] Cannot import unknown element "{imported}".'
        )
    if unknown:
        return None
    builder = _Builder(name, url, link, document, issues)
    subgraph = builder.build(schema_directives)
    if subgraph is not None:
        subgraph.feature_links = feature_links(schema_directives)
    return subgraph


def _schema_directives(document: DocumentNode) -> list[ConstDirectiveNode]:
    directives: list[ConstDirectiveNode] = []
    for definition in document.definitions:
        if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            directives.extend(definition.directives or ())
    return directives


class _Builder:
    """Turns a parsed document into a Subgraph, checking names as it goes."""

    def __init__(
        self,
        name: str,
        url: str,
        link: FederationLink,
        document: DocumentNode,
        issues: IssueCollector,
    ) -> None:
        self.subgraph = Subgraph(name, url, link)
        self.document = document
        self.issues = issues
        self.canonical = link.canonical_directives()
        self.skipped_types = set(FEDERATION_PLUMBING_TYPES) | link.spec_type_names()
        self.defined_directives = {
            d.name.value for d in document.definitions if isinstance(d, DirectiveDefinitionNode)
        }
        self.renames: dict[str, str] = {}
        self.blocks: dict[str, int] = {}

    def build(self, schema_directives: list[ConstDirectiveNode]) -> Subgraph | None:
        """Run every step; None when names could not be resolved."""
        before = len(self.issues.issues)
        self._roots()
        for definition in self.document.definitions:
            if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
                if definition.name.value not in self.skipped_types:
                    self._add_type(definition)
            elif isinstance(definition, DirectiveDefinitionNode):
                name = definition.name.value
                if name in self.canonical:
                    self.subgraph.defined_federation_directives.append(self.canonical[name])
                elif name != self.subgraph.link.link_name:
                    self.subgraph.directive_definitions[name] = definition
            elif isinstance(definition, SchemaDefinitionNode):
                desc = definition.description
                self.subgraph.schema_description = desc.value if desc else None
        link_name = self.subgraph.link.link_name
        self.subgraph.schema_directives = self._directives(
            [d for d in schema_directives if d.name.value != link_name], 0
        )
        self._check_type_references()
        check_access_control(self.subgraph, self.issues)
        return self.subgraph if len(self.issues.issues) == before else None

    def _roots(self) -> None:
        roots: dict[str, str] = {}
        for definition in self.document.definitions:
            if isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
                for op_node in definition.operation_types or ():
                    roots[op_node.operation.value] = op_node.type.name.value
        if not roots:
            names = {
                d.name.value for d in self.document.definitions if hasattr(d, "name") and d.name
            }
            roots = {op: type_name for op, type_name in DEFAULT_ROOTS.items() if type_name in names}
        for operation, type_name in roots.items():
            self.subgraph.roots[operation] = DEFAULT_ROOTS[operation]
            if type_name != DEFAULT_ROOTS[operation]:
                self.renames[type_name] = DEFAULT_ROOTS[operation]
        if "query" not in roots:
            # Every subgraph has a query root: federation adds `_service` to it.
            self.subgraph.roots["query"] = "Query"
            self.subgraph.types["Query"] = TypeDef("Query", has_definition=True)

    def _add_type(self, node: TypeDefinitionNode | TypeExtensionNode) -> None:
        name = self.renames.get(node.name.value, node.name.value)
        kind = KINDS[type(node)]
        type_def = self.subgraph.types.get(name)
        if type_def is None:
            type_def = self.subgraph.types[name] = TypeDef(name, kind=kind)
        elif type_def.kind != kind:
            self.issues.add(
                "INVALID_GRAPHQL",
                f'[{self.subgraph.name}] Type "{name}" is extended with a different kind.',
            )
            return
        is_extension = isinstance(node, TypeExtensionNode)
        block = 0
        if is_extension:
            block = self.blocks[name] = self.blocks.get(name, 0) + 1
            type_def.has_extension = True
        else:
            type_def.has_definition = True
            type_def.description = _description(node)
        type_def.directives.extend(self._directives(node.directives or (), block))
        for interface in getattr(node, "interfaces", None) or ():
            type_def.interfaces.append(self.renames.get(interface.name.value, interface.name.value))
        for member in getattr(node, "types", None) or ():
            type_def.members.append(self.renames.get(member.name.value, member.name.value))
        for value in getattr(node, "values", None) or ():
            if kind == ENUM:
                type_def.values[value.name.value] = Element(
                    value.name.value,
                    _description(value),
                    self._directives(value.directives or (), block),
                    block,
                )
        for field_node in getattr(node, "fields", None) or ():
            if name == self.subgraph.roots.get("query") and field_node.name.value in (
                FEDERATION_QUERY_FIELDS
            ):
                continue
            type_def.fields[field_node.name.value] = self._field(name, field_node, block)

    def _field(
        self, parent: str, node: FieldDefinitionNode | InputValueDefinitionNode, block: int
    ) -> Field:
        result = Field(
            node.name.value,
            _description(node),
            self._directives(node.directives or (), block),
            block,
            type=TypeRef.from_node(node.type).renamed(self.renames),
            parent=parent,
        )
        if isinstance(node, InputValueDefinitionNode):
            result.default = node.default_value
        else:
            for arg in node.arguments or ():
                result.args[arg.name.value] = Argument(
                    arg.name.value,
                    _description(arg),
                    self._directives(arg.directives or (), block),
                    block,
                    type=TypeRef.from_node(arg.type).renamed(self.renames),
                    default=arg.default_value,
                )
        return result

    def _directives(self, nodes: Sequence[ConstDirectiveNode], block: int) -> list[Applied]:
        applied: list[Applied] = []
        for node in nodes:
            written = node.name.value
            canonical = self.canonical.get(written)
            if canonical is not None:
                applied.append(Applied(canonical, node, block, federation=True))
            elif written in BUILTIN_DIRECTIVES or written in self.defined_directives:
                applied.append(Applied(written, node, block))
            else:
                self.issues.add(
                    "INVALID_GRAPHQL", f'[{self.subgraph.name}] Unknown directive "@{written}".'
                )
        return applied

    def _check_type_references(self) -> None:
        known = set(self.subgraph.types) | set(BUILTIN_SCALARS)
        seen: set[str] = set()

        def check(type_name: str) -> None:
            if type_name not in known and type_name not in seen:
                seen.add(type_name)
                self.issues.add(
                    "INVALID_GRAPHQL", f"[{self.subgraph.name}] Unknown type {type_name}"
                )

        for type_def in self.subgraph.types.values():
            for reference in (*type_def.interfaces, *type_def.members):
                check(reference)
            for field_def in type_def.fields.values():
                check(field_def.type.base)
                for arg in field_def.args.values():
                    check(arg.type.base)


def _description(node: object) -> str | None:
    description = getattr(node, "description", None)
    return description.value if description is not None else None

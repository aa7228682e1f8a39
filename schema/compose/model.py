"""The subgraph model: one parsed subgraph, federation directives resolved to canonical names."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphql.language import (
    ConstDirectiveNode,
    ConstValueNode,
    DirectiveDefinitionNode,
    ValueNode,
)

from .links import FeatureLink, FederationLink
from .typeref import STRING, TypeRef

OBJECT = "object"
INTERFACE = "interface"
UNION = "union"
ENUM = "enum"
INPUT = "input"
SCALAR = "scalar"

KIND_LABELS = {
    OBJECT: "Object Type",
    INTERFACE: "Interface Type",
    UNION: "Union Type",
    ENUM: "Enum Type",
    INPUT: "Input Object Type",
    SCALAR: "Scalar Type",
}


@dataclass
class Applied:
    """A directive application: `name` is canonical for federation directives, else as written."""

    name: str
    node: ConstDirectiveNode
    block: int = 0  # 0: the type definition; n: the n-th `extend` of the type
    federation: bool = False
    composed: bool = False  # a custom directive the subgraph asks to keep (@composeDirective)

    @property
    def written_name(self) -> str:
        """The directive name as written in the subgraph."""
        return self.node.name.value

    def arg(self, name: str) -> ValueNode | None:
        """The literal value of argument `name`, if given."""
        for argument in self.node.arguments or ():
            if argument.name.value == name:
                return argument.value
        return None

    def string_arg(self, name: str) -> str | None:
        """The string value of argument `name`, if given as a string."""
        value = self.arg(name)
        return getattr(value, "value", None) if value is not None else None


@dataclass
class Element:
    """Common parts of types, fields, arguments and enum values."""

    name: str
    description: str | None = None
    directives: list[Applied] = field(default_factory=list)
    block: int = 0

    def applied(self, name: str) -> list[Applied]:
        """Applications of directive `name` (canonical name for federation directives)."""
        return [d for d in self.directives if d.name == name]

    def has(self, name: str) -> bool:
        """True when directive `name` is applied."""
        return any(d.name == name for d in self.directives)


@dataclass
class Argument(Element):
    """An argument or an input field."""

    type: TypeRef = STRING
    default: ConstValueNode | None = None


@dataclass
class Field(Element):
    """A field of an object, interface or input type."""

    type: TypeRef = STRING
    args: dict[str, Argument] = field(default_factory=dict)
    default: ConstValueNode | None = None
    parent: str = ""

    @property
    def coordinate(self) -> str:
        """`Type.field`."""
        return f"{self.parent}.{self.name}"


@dataclass
class TypeDef(Element):
    """A named type of a subgraph (definition and extensions merged)."""

    kind: str = OBJECT
    fields: dict[str, Field] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, Element] = field(default_factory=dict)
    has_definition: bool = False
    has_extension: bool = False


@dataclass
class Subgraph:
    """One subgraph: name, URL, federation link and types (federation plumbing stripped)."""

    name: str
    url: str
    link: FederationLink
    types: dict[str, TypeDef] = field(default_factory=dict)
    roots: dict[str, str] = field(default_factory=dict)  # operation -> type name
    schema_directives: list[Applied] = field(default_factory=list)
    schema_description: str | None = None
    feature_links: list[FeatureLink] = field(default_factory=list)  # other @links than federation
    # Directive definitions that are not federation's or link's, by name.
    directive_definitions: dict[str, DirectiveDefinitionNode] = field(default_factory=dict)
    # Federation directives the SDL defines itself (canonical names, in document order).
    defined_federation_directives: list[str] = field(default_factory=list)

    def type(self, name: str) -> TypeDef | None:
        """The type called `name`, if defined."""
        return self.types.get(name)

    def field(self, type_name: str, field_name: str) -> Field | None:
        """The field `type_name.field_name`, if defined."""
        type_def = self.types.get(type_name)
        return type_def.fields.get(field_name) if type_def else None

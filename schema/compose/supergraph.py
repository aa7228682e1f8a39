"""The composed supergraph model, ready to print."""

from __future__ import annotations

from dataclasses import dataclass, field

from .typeref import STRING, TypeRef


@dataclass
class Directive:
    """A directive application with already-printed argument values, in print order."""

    name: str
    args: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        if not self.args:
            return f"@{self.name}"
        return f"@{self.name}(" + ", ".join(f"{k}: {v}" for k, v in self.args) + ")"

    @property
    def key(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """Identity of the application, independent of argument order."""
        return self.name, tuple(sorted(self.args))


@dataclass
class Node:
    """Common parts of every supergraph element."""

    name: str
    description: str | None = None
    directives: list[Directive] = field(default_factory=list)


@dataclass
class Arg(Node):
    """An argument or an input field."""

    type: TypeRef = STRING
    default: str | None = None


@dataclass
class FieldDef(Node):
    """A field of an object, interface or input object."""

    type: TypeRef = STRING
    args: dict[str, Arg] = field(default_factory=dict)
    default: str | None = None


@dataclass
class TypeDef(Node):
    """A supergraph type."""

    kind: str = "object"
    interfaces: list[str] = field(default_factory=list)
    fields: dict[str, FieldDef] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    values: dict[str, Node] = field(default_factory=dict)


@dataclass
class Supergraph:
    """Everything the printer needs."""

    links: list[Directive] = field(default_factory=list)
    roots: dict[str, str] = field(default_factory=dict)
    types: dict[str, TypeDef] = field(default_factory=dict)
    directive_definitions: dict[str, str] = field(default_factory=dict)  # name -> printed text
    spec_types: dict[str, str] = field(default_factory=dict)  # name -> printed text

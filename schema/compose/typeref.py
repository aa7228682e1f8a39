"""GraphQL type references (`[User!]!`) as small immutable values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graphql.language import ListTypeNode, NamedTypeNode, NonNullTypeNode, TypeNode


@dataclass(frozen=True)
class TypeRef:
    """A type reference: a named type, a list of T, or a non-null T."""

    kind: str  # "named" | "list" | "non_null"
    name: str = ""
    of: TypeRef | None = None

    def __str__(self) -> str:
        if self.kind == "named":
            return self.name
        if self.kind == "list":
            return f"[{self.of}]"
        return f"{self.of}!"

    @property
    def inner(self) -> TypeRef:
        """The wrapped type of a list or non-null reference."""
        assert self.of is not None
        return self.of

    @property
    def base(self) -> str:
        """The named type at the bottom of the wrappers."""
        ref = self
        while ref.kind != "named":
            ref = ref.inner
        return ref.name

    @property
    def non_null(self) -> bool:
        """True for `T!`."""
        return self.kind == "non_null"

    def renamed(self, renames: dict[str, str]) -> TypeRef:
        """This reference with its base type renamed through `renames`."""
        if self.kind == "named":
            return TypeRef("named", renames.get(self.name, self.name))
        return TypeRef(self.kind, of=self.inner.renamed(renames))

    @staticmethod
    def from_node(node: TypeNode) -> TypeRef:
        """Build from a graphql-core type node."""
        if isinstance(node, NonNullTypeNode):
            return TypeRef("non_null", of=TypeRef.from_node(node.type))
        if isinstance(node, ListTypeNode):
            return TypeRef("list", of=TypeRef.from_node(node.type))
        assert isinstance(node, NamedTypeNode)
        return TypeRef("named", node.name.value)


STRING = TypeRef("named", "String")

IsDirectSubtype = Callable[[str, str], bool]


def is_subtype(parent: TypeRef, candidate: TypeRef, direct: IsDirectSubtype) -> bool:
    """Same type or a strict subtype."""
    return parent == candidate or is_strict_subtype(parent, candidate, direct)


def is_strict_subtype(parent: TypeRef, candidate: TypeRef, direct: IsDirectSubtype) -> bool:
    """Federation's default rules: direct, non-null downgrade, list and non-null propagation."""
    if candidate.kind == "list":
        return parent.kind == "list" and is_subtype(parent.inner, candidate.inner, direct)
    if candidate.kind == "non_null":
        if parent.kind == "non_null":
            return is_subtype(parent.inner, candidate.inner, direct)
        return is_subtype(parent, candidate.inner, direct)
    return parent.kind == "named" and direct(parent.name, candidate.name)

"""What the supergraph requires (`@authenticated`, `@requiresScopes`, `@policy`) and whether a
caller meets it, per field and per fragment's type condition."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from graphql import (
    GraphQLCompositeType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    get_named_type,
)

from common.auth import Identity
from gateway.planning import Field, Selection
from gateway.supergraph import AccessRequirement, Supergraph

TYPENAME = "__typename"


class PolicyEvaluator(Protocol):
    """Decides which `@policy` names a caller is granted."""

    def granted(self, identity: Identity | None, policies: frozenset[str]) -> frozenset[str]:
        """The members of `policies` (those the supergraph uses) that `identity` is granted."""
        ...


@dataclass(frozen=True)
class RolePolicies:
    """The default evaluator: a policy is granted to callers with one of the roles it lists
    (`GATEWAY_AUTHORIZATION_POLICIES`, `{"read_audit": ["admin", "service"]}`); a policy
    without a rule is granted to nobody, and anonymous callers have no role."""

    rules: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def granted(self, identity: Identity | None, policies: frozenset[str]) -> frozenset[str]:
        if identity is None:
            return frozenset()
        return frozenset(p for p in policies if identity.roles & self.rules.get(p, frozenset()))


@dataclass(frozen=True)
class Caller:
    """What of a caller decides what it may see (hashable: part of the cache key)."""

    authenticated: bool = False
    #: the caller's scopes that the supergraph mentions
    scopes: frozenset[str] = frozenset()
    #: the policies the supergraph uses that the caller is granted
    policies: frozenset[str] = frozenset()

    def meets(self, requirement: AccessRequirement | None) -> bool:
        """Whether the caller meets `requirement` (None: no requirement)."""
        if requirement is None:
            return True
        if requirement.authenticated and not self.authenticated:
            return False
        return _any_met(requirement.scopes, self.scopes) and _any_met(
            requirement.policies, self.policies
        )


def _any_met(alternatives: tuple[frozenset[str], ...] | None, held: frozenset[str]) -> bool:
    # As Router: an empty list of alternatives asks nothing.
    return not alternatives or any(alternative <= held for alternative in alternatives)


class Requirements:
    """The access requirements of one supergraph, and what a caller may see of them."""

    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.api_schema
        roots = (self.schema.query_type, self.schema.mutation_type, self.schema.subscription_type)
        self.root_names = frozenset(r.name for r in roots if r is not None)
        requirements = [
            r
            for t in supergraph.types.values()
            for r in (t.access, *(f.access for f in t.fields.values()))
            if r is not None
        ]
        self.scopes_used = frozenset(
            s for r in requirements for alternative in r.scopes or () for s in alternative
        )
        self.policies_used = frozenset(
            p for r in requirements for alternative in r.policies or () for p in alternative
        )

    def type_requirement(self, type_: GraphQLNamedType) -> AccessRequirement | None:
        """What a type requires wherever it is returned (None: nothing)."""
        info = self.supergraph.types.get(type_.name)
        return info.access if info is not None else None

    def _field_requirement(self, parent: str, name: str) -> AccessRequirement | None:
        info = self.supergraph.field(parent, name)
        return info.access if info is not None else None

    def _implementations(self, interface: GraphQLInterfaceType) -> Iterable[GraphQLObjectType]:
        return self.schema.get_possible_types(interface)

    def field_visible(
        self,
        caller: Caller,
        parent: GraphQLCompositeType,
        definition: GraphQLField,
        selection: Field,
    ) -> bool:
        """Whether `caller` may see field `selection` (defined by `definition`) of `parent`."""
        name = selection.name
        returned = get_named_type(definition.type)
        if not caller.meets(self._field_requirement(parent.name, name)):
            return False
        if not caller.meets(self.type_requirement(returned)):
            return False
        if isinstance(parent, GraphQLInterfaceType) and not all(
            caller.meets(self._field_requirement(i.name, name))
            for i in self._implementations(parent)
        ):
            return False
        return self._abstract_visible(caller, returned, selection.selections)

    def type_visible(
        self, caller: Caller, condition: GraphQLNamedType, selections: tuple[Selection, ...]
    ) -> bool:
        """Whether `caller` may see a fragment on `condition` selecting `selections` (a root
        type's requirement is not the fragment's: each root field needs it)."""
        if condition.name in self.root_names:
            return True
        return caller.meets(self.type_requirement(condition)) and self._abstract_visible(
            caller, condition, selections
        )

    def _abstract_visible(
        self, caller: Caller, type_: GraphQLNamedType, selections: tuple[Selection, ...] | None
    ) -> bool:
        """An interface's own fields, selected directly, read every implementation."""
        if not isinstance(type_, GraphQLInterfaceType) or selections is None:
            return True
        direct = any(isinstance(s, Field) and s.name != TYPENAME for s in selections)
        return not direct or all(
            caller.meets(self.type_requirement(i)) for i in self._implementations(type_)
        )

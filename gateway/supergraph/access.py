"""Read the access-control specs of a supergraph: `@authenticated` (authenticated/v0.1),
`@requiresScopes` (requiresScopes/v0.1) and `@policy` (policy/v0.1), under the names the
schema's `@link`s give them, into one `AccessRequirement` per type and per field.

https://specs.apollo.dev/authenticated/v0.1, .../requiresScopes/v0.1, .../policy/v0.1. The
`scopes:`/`policies:` argument is a list of alternatives, each a list of names all needed
(OR of ANDs). Composition already merged what the subgraphs asked (an interface carries what its
implementations require); the gateway applies the result (gateway/policy/authorization/).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from graphql import (
    DirectiveNode,
    DocumentNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    TypeDefinitionNode,
    value_from_ast_untyped,
)

from common.federation.links import LinkedSpecs
from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.model import AccessRequirement, TypeInfo

AUTHENTICATED_IDENTITY = "https://specs.apollo.dev/authenticated"
REQUIRES_SCOPES_IDENTITY = "https://specs.apollo.dev/requiresScopes"
POLICY_IDENTITY = "https://specs.apollo.dev/policy"
#: the spec URLs this gateway honours `for: SECURITY`
ACCESS_FEATURES = frozenset(
    f"{identity}/v0.1"
    for identity in (AUTHENTICATED_IDENTITY, REQUIRES_SCOPES_IDENTITY, POLICY_IDENTITY)
)


class AccessReader:
    """Finds the local names of the three directives and reads their applications."""

    def __init__(self, links: LinkedSpecs) -> None:
        authenticated = links.find(AUTHENTICATED_IDENTITY)
        scopes = links.find(REQUIRES_SCOPES_IDENTITY)
        policy = links.find(POLICY_IDENTITY)
        self.authenticated = (
            authenticated.directive_name("authenticated") if authenticated else None
        )
        self.scopes = scopes.directive_name("requiresScopes") if scopes else None
        self.policy = policy.directive_name("policy") if policy else None

    @property
    def linked(self) -> bool:
        """Whether the supergraph links any of the three specs."""
        return any((self.authenticated, self.scopes, self.policy))

    def requirement(
        self, directives: Iterable[DirectiveNode] | None, where: str
    ) -> AccessRequirement | None:
        """What the applications among `directives` require (None: nothing)."""
        authenticated = False
        scopes = policies = None
        for directive in directives or ():
            name = directive.name.value
            if name == self.authenticated:
                authenticated = True
            elif name == self.scopes:
                scopes = _alternatives(directive, "scopes", where)
            elif name == self.policy:
                policies = _alternatives(directive, "policies", where)
        if not authenticated and scopes is None and policies is None:
            return None
        return AccessRequirement(authenticated=authenticated, scopes=scopes, policies=policies)

    def apply(self, document: DocumentNode, types: Mapping[str, TypeInfo]) -> dict[str, TypeInfo]:
        """`types` with the requirement of every type and field that has one."""
        result = dict(types)
        for definition in document.definitions:
            if not isinstance(definition, TypeDefinitionNode):
                continue
            info = result.get(definition.name.value)
            if info is None:
                continue
            own = self.requirement(definition.directives, info.name)
            fields = info.fields
            if isinstance(definition, ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode):
                updated = dict(info.fields)
                for field in definition.fields or ():
                    access = self.requirement(field.directives, f"{info.name}.{field.name.value}")
                    current = updated.get(field.name.value)
                    if access is not None and current is not None:
                        updated[field.name.value] = dataclasses.replace(current, access=access)
                if updated != dict(info.fields):
                    fields = MappingProxyType(updated)
            if own is not None or fields is not info.fields:
                result[info.name] = dataclasses.replace(info, access=own, fields=fields)
        return result


def _alternatives(
    directive: DirectiveNode, argument: str, where: str
) -> tuple[frozenset[str], ...]:
    """`[["a", "b"], ["c"]]` as alternatives of name sets. A single value stands for a list of
    one (GraphQL input coercion); a name that is not a string is read as its printed value."""
    node = next((a.value for a in directive.arguments or () if a.name.value == argument), None)
    if node is None:
        raise SupergraphError(f"@{directive.name.value} on {where} has no {argument}: argument")
    raw = value_from_ast_untyped(node)
    outer = raw if isinstance(raw, list) else [raw]
    alternatives: list[frozenset[str]] = []
    for item in outer:
        inner = item if isinstance(item, list) else [item]
        if any(isinstance(v, list | dict) or v is None for v in inner):
            raise SupergraphError(
                f"@{directive.name.value} on {where}: {argument} must be a list of lists of names"
            )
        alternatives.append(frozenset(v if isinstance(v, str) else _printed(v) for v in inner))
    return tuple(alternatives)


def _printed(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

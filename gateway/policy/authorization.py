"""`@authenticated`, `@requiresScopes` and `@policy`: what a caller may see of an operation.

As Apollo Router documents them (docs/authorization.md): before planning, every field the
caller may not see is taken out of the operation; after execution it is answered `null` with an
`UNAUTHORIZED_FIELD_OR_TYPE` error (GraphQL null propagation applies to non-null fields), and
the rest of the operation runs as usual.

- A field is visible when the caller meets its own requirement and the requirement of the type
  it returns (object, interface, scalar or enum). On an interface, the caller must also meet
  the requirement of that field on every implementation; a field returning an interface and
  selecting its fields directly (not only `__typename` or fragments) also needs what every
  implementation requires. A root type's requirement applies to each of its fields.
- `@requiresScopes(scopes: [["a", "b"], ["c"]])`: a or b... read as (a AND b) OR c against the
  token's scopes; `@policy` alike against the policies the `PolicyEvaluator` grants;
  `@authenticated`: any verified caller.
- A fragment (inline or named) on a type the caller may not see is taken out: the objects of
  that type miss its fields and get one error each (as Router, which removes the fragment).
- `__typename` and the introspection fields always stay.

How: an unauthorised field is replaced by `<its response key>: __typename` (same position,
`@skip`/`@include` kept, no arguments, nothing fetched below it); a removed fragment keeps a
hidden `__typename` marker so the objects it applied to are known. `AuthorizedOperation.answer`
then turns those values into nulls and errors. When every root field is replaced, the plan has
no fetch at all: nothing reaches a subgraph.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    NameNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
    get_named_type,
    print_ast,
)

from common.auth import Identity
from gateway.supergraph import AccessRequirement, Supergraph

logger = logging.getLogger(__name__)

UNAUTHORIZED_FIELD_OR_TYPE = "UNAUTHORIZED_FIELD_OR_TYPE"
#: Apollo Router's message for every field or type taken out of an operation
UNAUTHORIZED_MESSAGE = "Unauthorized field or type"
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


class AuthorizationRules:
    """The access requirements of one supergraph, applied to operations for callers."""

    def __init__(self, supergraph: Supergraph, evaluator: PolicyEvaluator) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.api_schema
        self.evaluator = evaluator
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

    def caller(self, identity: Identity | None) -> Caller:
        """The caller as far as the supergraph's requirements can tell callers apart."""
        if identity is None:
            return Caller(policies=self.evaluator.granted(None, self.policies_used))
        return Caller(
            authenticated=True,
            scopes=identity.scopes & self.scopes_used,
            policies=self.evaluator.granted(identity, self.policies_used),
        )

    def authorize(
        self,
        query: str,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        caller: Caller,
    ) -> AuthorizedOperation:
        """The operation as `caller` may run it (a valid document's selected operation)."""
        root = self.schema.get_root_type(operation.operation)
        assert root is not None, "a validated operation has a root type"
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        filtering = _Filter(self, caller, fragments)
        root_requirement = self._type_requirement(root)
        rewritten, nulls = filtering.scope([(root, operation.selection_set)], root_requirement)
        selection_set = rewritten[0]
        if nulls.is_empty:
            return AuthorizedOperation(document, query, None)
        filtered = DocumentNode(
            definitions=(
                OperationDefinitionNode(
                    operation=operation.operation,
                    name=operation.name,
                    variable_definitions=operation.variable_definitions,
                    directives=operation.directives,
                    selection_set=selection_set,
                ),
            )
        )
        return AuthorizedOperation(filtered, print_ast(filtered), nulls)

    # -- what an element requires --------------------------------------------------------

    def _type_requirement(self, type_: GraphQLNamedType) -> AccessRequirement | None:
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
        node: FieldNode,
    ) -> bool:
        """Whether `caller` may see field `node` (defined by `definition`) of `parent`."""
        name = node.name.value
        returned = get_named_type(definition.type)
        if not caller.meets(self._field_requirement(parent.name, name)):
            return False
        if not caller.meets(self._type_requirement(returned)):
            return False
        if isinstance(parent, GraphQLInterfaceType) and not all(
            caller.meets(self._field_requirement(i.name, name))
            for i in self._implementations(parent)
        ):
            return False
        return self._abstract_visible(caller, returned, node.selection_set)

    def type_visible(
        self, caller: Caller, condition: GraphQLNamedType, selection_set: SelectionSetNode
    ) -> bool:
        """Whether `caller` may see a fragment on `condition` selecting `selection_set` (a root
        type's requirement is not the fragment's: each root field needs it)."""
        if condition.name in self.root_names:
            return True
        return caller.meets(self._type_requirement(condition)) and self._abstract_visible(
            caller, condition, selection_set
        )

    def _abstract_visible(
        self, caller: Caller, type_: GraphQLNamedType, selection_set: SelectionSetNode | None
    ) -> bool:
        """An interface's own fields, selected directly, read every implementation."""
        if not isinstance(type_, GraphQLInterfaceType) or selection_set is None:
            return True
        direct = any(
            isinstance(s, FieldNode) and s.name.value != TYPENAME for s in selection_set.selections
        )
        return not direct or all(
            caller.meets(self._type_requirement(i)) for i in self._implementations(type_)
        )


# -- taking fields out --------------------------------------------------------------------


@dataclass(frozen=True)
class _Placeholder:
    """A field replaced by `__typename`: the key it has in the answer, and whether it is
    non-null (a null there propagates to the parent)."""

    key: str
    non_null: bool


@dataclass
class NullPlan:
    """Where, in the objects of one selection scope, answers must be replaced by nulls."""

    #: key in the subgraphs' answer -> the field it stands for
    placeholders: dict[str, _Placeholder] = field(default_factory=dict)
    #: keys of hidden markers: an object carrying one was of a type the caller may not see
    markers: set[str] = field(default_factory=set)
    #: response key -> (the field's type, what to do inside its value)
    children: dict[str, tuple[GraphQLOutputType, NullPlan]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.placeholders or self.markers or self.children)

    def merge(self, other: NullPlan) -> None:
        """Add what `other` says (the same response key selected twice)."""
        self.placeholders.update(other.placeholders)
        self.markers |= other.markers
        for key, (type_, plan) in other.children.items():
            if key in self.children:
                self.children[key][1].merge(plan)
            else:
                self.children[key] = (type_, plan)


@dataclass
class _Occurrence:
    """A field selected in a scope (fragments flattened) and whether the caller may see it."""

    node: FieldNode
    parent: GraphQLCompositeType
    definition: GraphQLField | None
    visible: bool


#: the selections of one object scope: (their parent type, the selection set), in order; a
#: field selected several times under one response key has one scope for all its selections
Parts = list[tuple[GraphQLCompositeType, SelectionSetNode]]


class _Filter:
    """Rewrites selection sets for one caller, recording the nulls to put back."""

    def __init__(
        self,
        rules: AuthorizationRules,
        caller: Caller,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> None:
        self.rules = rules
        self.caller = caller
        self.fragments = fragments
        self.schema: GraphQLSchema = rules.schema

    def scope(
        self, parts: Parts, parent_requirement: AccessRequirement | None = None
    ) -> tuple[list[SelectionSetNode], NullPlan]:
        """Each selection set of one object scope rewritten, and where its answers need nulls.
        `parent_requirement`: the root type's requirement, which each root field needs."""
        occurrences: list[_Occurrence] = []
        for parent, selection_set in parts:
            self._collect(parent, selection_set, occurrences, parent_requirement)
        visible_keys = {_key(o.node) for o in occurrences if o.visible}
        hidden_keys = {_key(o.node) for o in occurrences if not o.visible}
        taken = visible_keys | hidden_keys
        state = _ScopeState(taken=taken)
        for key in sorted(visible_keys & hidden_keys):
            # The key answers a real field for some types: the placeholder needs its own key.
            state.aliases[key] = _fresh(f"{key}_unauthorized", taken)
        children: dict[str, Parts] = {}
        for occurrence in occurrences:
            if occurrence.visible and occurrence.definition and occurrence.node.selection_set:
                returned = get_named_type(occurrence.definition.type)
                assert isinstance(returned, GraphQLCompositeType)
                children.setdefault(_key(occurrence.node), []).append(
                    (returned, occurrence.node.selection_set)
                )
        plan = state.plan
        for key, child_parts in children.items():
            rewritten, child_plan = self.scope(child_parts)
            state.rewritten[key] = iter(rewritten)
            if not child_plan.is_empty:
                definition = next(
                    o.definition for o in occurrences if o.visible and _key(o.node) == key
                )
                assert definition is not None
                plan.children[key] = (definition.type, child_plan)
        result = [
            self._rewrite(parent, selection_set, state, parent_requirement)
            for parent, selection_set in parts
        ]
        return result, plan

    def _visible(
        self,
        parent: GraphQLCompositeType,
        definition: GraphQLField | None,
        node: FieldNode,
        parent_requirement: AccessRequirement | None,
    ) -> bool:
        return definition is None or (
            self.caller.meets(parent_requirement)
            and self.rules.field_visible(self.caller, parent, definition, node)
        )

    def _collect(
        self,
        parent: GraphQLCompositeType,
        selection_set: SelectionSetNode,
        into: list[_Occurrence],
        parent_requirement: AccessRequirement | None,
    ) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                definition = _field_definition(parent, selection.name.value)
                visible = self._visible(parent, definition, selection, parent_requirement)
                into.append(_Occurrence(selection, parent, definition, visible))
                continue
            inner = self._fragment(parent, selection)
            if inner is not None and self.rules.type_visible(self.caller, *inner):
                self._collect(inner[0], inner[1], into, parent_requirement)

    def _fragment(
        self, parent: GraphQLCompositeType, selection: SelectionNode
    ) -> tuple[GraphQLCompositeType, SelectionSetNode] | None:
        """(type condition, selections) of an inline fragment or a fragment spread."""
        named: GraphQLNamedType | None
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            named = self.schema.get_type(condition.name.value) if condition else parent
            selection_set = selection.selection_set
        elif isinstance(selection, FragmentSpreadNode):
            fragment = self.fragments.get(selection.name.value)
            if fragment is None:
                return None
            named = self.schema.get_type(fragment.type_condition.name.value)
            selection_set = fragment.selection_set
        else:
            return None
        if not isinstance(named, GraphQLCompositeType):
            return None
        return named, selection_set

    def _rewrite(
        self,
        parent: GraphQLCompositeType,
        selection_set: SelectionSetNode,
        state: _ScopeState,
        parent_requirement: AccessRequirement | None,
    ) -> SelectionSetNode:
        selections: list[SelectionNode] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                selections.append(self._field(parent, selection, state, parent_requirement))
                continue
            inner = self._fragment(parent, selection)
            if inner is None:
                continue
            condition, inner_set = inner
            if self.rules.type_visible(self.caller, condition, inner_set):
                body = self._rewrite(condition, inner_set, state, parent_requirement)
            else:
                if condition.name not in state.markers:
                    state.markers[condition.name] = _fresh(
                        f"{condition.name}_unauthorized", state.taken
                    )
                marker = state.markers[condition.name]
                state.plan.markers.add(marker)
                body = SelectionSetNode(selections=(_typename(marker, ()),))
            selections.append(
                InlineFragmentNode(
                    type_condition=NamedTypeNode(name=NameNode(value=condition.name)),
                    directives=selection.directives,
                    selection_set=body,
                )
            )
        return SelectionSetNode(selections=tuple(selections))

    def _field(
        self,
        parent: GraphQLCompositeType,
        node: FieldNode,
        state: _ScopeState,
        parent_requirement: AccessRequirement | None,
    ) -> FieldNode:
        definition = _field_definition(parent, node.name.value)
        if definition is None:  # __typename and the introspection fields
            return node
        key = _key(node)
        if not self._visible(parent, definition, node, parent_requirement):
            answer_key = state.aliases.get(key, key)
            state.plan.placeholders[answer_key] = _Placeholder(
                key, isinstance(definition.type, GraphQLNonNull)
            )
            return _typename(answer_key, node.directives or ())
        if node.selection_set is None:
            return node
        return FieldNode(
            alias=node.alias,
            name=node.name,
            arguments=node.arguments,
            directives=node.directives,
            selection_set=next(state.rewritten[key]),
        )


@dataclass
class _ScopeState:
    """What rewriting the selection sets of one scope shares."""

    taken: set[str]
    plan: NullPlan = field(default_factory=NullPlan)
    #: response key -> the key its placeholder gets (where the key also answers a real field)
    aliases: dict[str, str] = field(default_factory=dict)
    #: type condition -> key of its marker
    markers: dict[str, str] = field(default_factory=dict)
    #: response key -> the rewritten selection sets of its occurrences, in order
    rewritten: dict[str, Iterator[SelectionSetNode]] = field(default_factory=dict)


def _field_definition(parent: GraphQLCompositeType, name: str) -> GraphQLField | None:
    fields = getattr(parent, "fields", None)
    return fields.get(name) if fields is not None and not name.startswith("__") else None


def _key(node: FieldNode) -> str:
    return node.alias.value if node.alias else node.name.value


def _typename(alias: str, directives: Any) -> FieldNode:
    return FieldNode(
        alias=NameNode(value=alias),
        name=NameNode(value=TYPENAME),
        arguments=(),
        directives=tuple(directives),
    )


def _fresh(base: str, taken: set[str]) -> str:
    """A response key not used in the scope."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    taken.add(candidate)
    return candidate


# -- putting nulls back ---------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorizedOperation:
    """An operation as one kind of caller may run it."""

    #: what to plan: the original document when the caller may see everything it selects
    document: DocumentNode
    #: the plan cache's key for `document` (its text)
    query_key: str
    #: where to put nulls and errors in the answer; None: nothing was taken out
    nulls: NullPlan | None

    def answer(self, response: dict[str, Any]) -> dict[str, Any]:
        """`response` (of the planned document) with each field taken out answered null and an
        `UNAUTHORIZED_FIELD_OR_TYPE` error per null, non-null fields propagating the null."""
        if self.nulls is None:
            return response
        data = response.get("data")
        errors: list[dict[str, Any]] = []
        if isinstance(data, dict) and _object(data, self.nulls, [], errors):
            data = None
        if not errors and data is response.get("data"):
            return response
        result = {**response, "data": data}
        result["errors"] = [*errors, *(response.get("errors") or [])]
        return result


def _error(path: list[str | int]) -> dict[str, Any]:
    return {
        "message": UNAUTHORIZED_MESSAGE,
        "path": list(path),
        "extensions": {"code": UNAUTHORIZED_FIELD_OR_TYPE},
    }


def _object(
    value: dict[str, Any], plan: NullPlan, path: list[str | int], errors: list[dict[str, Any]]
) -> bool:
    """Rewrite one object in place; True when a non-null field of it became null."""
    nulled = False
    if any(k in value for k in plan.placeholders) or any(k in value for k in plan.markers):
        items = list(value.items())
        value.clear()
        for key, item in items:
            if key in plan.markers:
                errors.append(_error(path))
                continue
            placeholder = plan.placeholders.get(key)
            if placeholder is None:
                value[key] = item
                continue
            value[placeholder.key] = None
            errors.append(_error([*path, placeholder.key]))
            nulled = nulled or placeholder.non_null
    for key, (type_, child) in plan.children.items():
        if value.get(key) is None:
            continue
        new, propagate = _value(value[key], type_, child, [*path, key], errors)
        value[key] = new
        nulled = nulled or propagate
    return nulled


def _value(
    value: Any,
    type_: GraphQLOutputType,
    plan: NullPlan,
    path: list[str | int],
    errors: list[dict[str, Any]],
) -> tuple[Any, bool]:
    """(the value rewritten, whether it became null where its type is non-null)."""
    non_null = isinstance(type_, GraphQLNonNull)
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if value is None:
        return None, False
    if isinstance(inner, GraphQLList):
        if not isinstance(value, list):
            return value, False
        broken = False
        for index, item in enumerate(value):
            new, propagate = _value(item, inner.of_type, plan, [*path, index], errors)
            value[index] = new
            broken = broken or propagate
        return (None, non_null) if broken else (value, False)
    if isinstance(value, dict) and _object(value, plan, path, errors):
        return None, non_null
    return value, False


# -- wiring ------------------------------------------------------------------------------------


def authorization_rules(
    supergraph: Supergraph, evaluator: PolicyEvaluator, rules: Collection[str] = ()
) -> AuthorizationRules | None:
    """The supergraph's rules, or None when it has no access requirement (nothing to do).
    `rules`: the policies the evaluator has a rule for; the others are logged once."""
    if not supergraph.has_access_requirements:
        return None
    result = AuthorizationRules(supergraph, evaluator)
    missing = sorted(result.policies_used - set(rules))
    if missing:
        logger.warning(
            "the supergraph uses @policy names without a rule in GATEWAY_AUTHORIZATION_POLICIES; "
            "they are granted to nobody: %s",
            ", ".join(missing),
        )
    return result

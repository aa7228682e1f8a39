"""Operation limits: depth, aliases, root fields and directives per field of the selected
operation, fragments counted where they are spread (each fragment walked once, never expanded:
this is what refuses a fragment bomb before normalisation inlines it). Computed once per
(document, operation name) and cached by the app; `check_limits` compares the shape with the
configured limits.

Introspection (`__schema`, `__type`) is answered by the gateway itself, not by subgraphs: its
subtrees are left out of depth and aliases (GraphiQL's own introspection query is deep); the same
walk notes whether there is any, for the introspection switch (`gateway.policy.introspection`)."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from gateway.policy.errors import (
    MAX_ALIASES_LIMIT,
    MAX_DEPTH_LIMIT,
    MAX_DIRECTIVES_LIMIT,
    MAX_FIELDS_LIMIT,
    MAX_ROOT_FIELDS_LIMIT,
    PolicyError,
)
from gateway.policy.settings import PolicySettings

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


@dataclass(frozen=True)
class OperationShape:
    """What the limits measure of one operation."""

    depth: int
    aliases: int
    root_fields: int
    #: the most directives on any one field (or fragment spread)
    directives: int
    #: whether it selects `__schema` or `__type` anywhere (fragments included)
    introspects: bool = False
    #: fields with every fragment expanded where it is spread (what normalising the operation
    #: will produce), counted without expanding them: a fragment spread twice counts twice
    fields: int = 0


@dataclass(frozen=True)
class _Tally:
    depth: int = 0
    aliases: int = 0
    fields: int = 0
    directives: int = 0
    introspects: bool = False
    #: fields at every level below, fragments expanded
    expanded: int = 0

    def add(self, other: _Tally) -> _Tally:
        return _Tally(
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.fields + other.fields,
            max(self.directives, other.directives),
            self.introspects or other.introspects,
            self.expanded + other.expanded,
        )


def operation_shape(document: DocumentNode, operation: OperationDefinitionNode) -> OperationShape:
    """The shape of `operation`; a fragment cycle (a validation error) counts as empty."""
    fragments = {
        node.name.value: node
        for node in document.definitions
        if isinstance(node, FragmentDefinitionNode)
    }
    memo: dict[str, _Tally] = {}
    visiting: set[str] = set()

    def selection_set(node: SelectionSetNode) -> _Tally:
        tally = _Tally()
        for selection in node.selections:
            directives = len(selection.directives or ())
            tally = tally.add(_Tally(directives=directives))
            if isinstance(selection, FieldNode):
                if selection.name.value in INTROSPECTION_FIELDS:
                    tally = tally.add(_Tally(fields=1, introspects=True, expanded=1))
                    continue
                inner = (
                    selection_set(selection.selection_set) if selection.selection_set else _Tally()
                )
                alias = 1 if selection.alias is not None else 0
                depth, aliases = inner.depth + 1, inner.aliases + alias
                expanded = inner.expanded + 1
                tally = tally.add(
                    _Tally(depth, aliases, 1, inner.directives, inner.introspects, expanded)
                )
            elif isinstance(selection, InlineFragmentNode):
                tally = tally.add(selection_set(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                tally = tally.add(spread(selection.name.value))
        return tally

    def spread(name: str) -> _Tally:
        if name in memo:
            return memo[name]
        fragment = fragments.get(name)
        if fragment is None or name in visiting:
            return _Tally()
        visiting.add(name)
        result = memo[name] = selection_set(fragment.selection_set)
        visiting.discard(name)
        return result

    tally = selection_set(operation.selection_set)
    return OperationShape(
        tally.depth,
        tally.aliases,
        tally.fields,
        tally.directives,
        tally.introspects,
        tally.expanded,
    )


def check_limits(shape: OperationShape, settings: PolicySettings) -> None:
    """`PolicyError` (400) for the first limit `shape` passes."""
    if shape.depth > settings.max_depth:
        raise PolicyError(
            400,
            MAX_DEPTH_LIMIT,
            f"The operation is {shape.depth} fields deep, more than the {settings.max_depth}"
            " allowed; request fewer nested levels.",
        )
    if shape.aliases > settings.max_aliases:
        raise PolicyError(
            400,
            MAX_ALIASES_LIMIT,
            f"The operation uses {shape.aliases} aliases, more than the {settings.max_aliases}"
            " allowed; use fewer aliases.",
        )
    if shape.root_fields > settings.max_root_fields:
        raise PolicyError(
            400,
            MAX_ROOT_FIELDS_LIMIT,
            f"The operation selects {shape.root_fields} root fields, more than the"
            f" {settings.max_root_fields} allowed; split it into several operations.",
        )
    if shape.directives > settings.max_directives:
        raise PolicyError(
            400,
            MAX_DIRECTIVES_LIMIT,
            f"A field carries {shape.directives} directives, more than the"
            f" {settings.max_directives} allowed; use fewer directives.",
        )
    if shape.fields > settings.max_fields:
        raise PolicyError(
            400,
            MAX_FIELDS_LIMIT,
            f"The operation selects {shape.fields} fields with its fragments expanded where they"
            f" are spread, more than the {settings.max_fields} allowed; spread each fragment"
            " fewer times or split the operation.",
        )

"""Federation 1 upgrade of field sets: drop the non-external leaves of @provides and @requires."""

from __future__ import annotations

from graphql.language import FieldNode, InlineFragmentNode, SelectionSetNode

from .fieldsets import FieldSetError, parse_field_set
from .model import INTERFACE, Subgraph


def external_only_field_set(subgraph: Subgraph, parent: str, text: str | None) -> str | None:
    """None when the field set is fine as is, else it without non-external leaves ('' if empty)."""
    if text is None:
        return None
    try:
        selection_set = parse_field_set(text)
    except FieldSetError:
        return None
    if not _selects_non_external_leaf(subgraph, parent, selection_set):
        return None
    return _print(_without_non_external_leaves(subgraph, parent, selection_set))


def _is_external(subgraph: Subgraph, parent: str, name: str) -> bool:
    field = subgraph.field(parent, name)
    if field is None:
        return False
    if field.has("external"):
        return True
    parent_type = subgraph.types[parent]
    if parent_type.kind != INTERFACE:
        return False
    for type_def in subgraph.types.values():
        if parent in type_def.interfaces:
            implementation = type_def.fields.get(name)
            if implementation is not None and implementation.has("external"):
                return True
    return False


def _child_parent(
    subgraph: Subgraph, parent: str, selection: FieldNode | InlineFragmentNode
) -> str:
    if isinstance(selection, InlineFragmentNode):
        condition = selection.type_condition
        return condition.name.value if condition else parent
    field = subgraph.field(parent, selection.name.value)
    return field.type.base if field is not None else parent


def _selects_non_external_leaf(
    subgraph: Subgraph, parent: str, selections: SelectionSetNode
) -> bool:
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            if _is_external(subgraph, parent, selection.name.value):
                continue
            if selection.selection_set is None:
                return True
        assert isinstance(selection, FieldNode | InlineFragmentNode)
        child = _child_parent(subgraph, parent, selection)
        if selection.selection_set and _selects_non_external_leaf(
            subgraph, child, selection.selection_set
        ):
            return True
    return False


def _without_non_external_leaves(
    subgraph: Subgraph, parent: str, selections: SelectionSetNode
) -> list[str]:
    kept: list[str] = []
    for selection in selections.selections:
        assert isinstance(selection, FieldNode | InlineFragmentNode)
        head = (
            selection.name.value
            if isinstance(selection, FieldNode)
            else "... on " + _child_parent(subgraph, parent, selection)
        )
        if isinstance(selection, FieldNode) and _is_external(subgraph, parent, head):
            kept.append(_print_selection(head, selection.selection_set))
            continue
        if selection.selection_set is not None:
            child = _child_parent(subgraph, parent, selection)
            inner = _without_non_external_leaves(subgraph, child, selection.selection_set)
            if inner:
                kept.append(f"{head} {{ {' '.join(inner)} }}")
    return kept


def _print_selection(head: str, selection_set: SelectionSetNode | None) -> str:
    if selection_set is None:
        return head
    inner = []
    for selection in selection_set.selections:
        assert isinstance(selection, FieldNode | InlineFragmentNode)
        if isinstance(selection, FieldNode):
            inner.append(_print_selection(selection.name.value, selection.selection_set))
        else:
            name = selection.type_condition.name.value if selection.type_condition else ""
            inner.append(_print_selection(f"... on {name}", selection.selection_set))
    return f"{head} {{ {' '.join(inner)} }}"


def _print(parts: list[str]) -> str:
    return " ".join(parts)

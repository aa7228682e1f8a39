"""Federation field sets (`"id org { id }"`) as nested dicts: `{"id": {}, "org": {"id": {}}}`."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode, parse


def _walk(selection_set: SelectionSetNode) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            sub = _walk(selection.selection_set) if selection.selection_set else {}
            result.setdefault(selection.name.value, {}).update(sub)
        elif isinstance(selection, InlineFragmentNode):
            for name, sub in _walk(selection.selection_set).items():
                result.setdefault(name, {}).update(sub)
    return result


@lru_cache(maxsize=256)
def parse_field_set(fields: str) -> dict[str, Any]:
    """The field set as nested dicts (inline fragments merged into their parent)."""
    operation = parse("{" + fields + "}").definitions[0]
    return _walk(operation.selection_set)  # type: ignore[attr-defined]

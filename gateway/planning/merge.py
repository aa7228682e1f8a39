"""Normalisation pass: merge fields that share a response key, and identical inline fragments.

`{ user { id } user { name } }` becomes `{ user { id name } }`, in the position of the first
occurrence, as field collection does (https://spec.graphql.org/October2021/#CollectFields()).
Selections with different variable conditions stay apart: their inclusion is decided per request.
"""

from __future__ import annotations

from gateway.planning.selections import Field, InlineFragment, Selection, directives_key


def merge_selections(selections: tuple[Selection, ...]) -> tuple[Selection, ...]:
    """The selections with same-key fields and same-condition fragments merged, recursively."""
    merged: dict[tuple[str, str | None, str], list[Selection]] = {}
    for selection in selections:
        key: tuple[str, str | None, str]
        if isinstance(selection, Field):
            key = ("field", selection.response_key, directives_key(selection.directives))
        else:
            key = ("fragment", selection.type_condition, directives_key(selection.directives))
        merged.setdefault(key, []).append(selection)
    return tuple(_merge_group(group) for group in merged.values())


def _merge_group(group: list[Selection]) -> Selection:
    first = group[0]
    if isinstance(first, Field):
        if first.selections is None:
            return first
        children = tuple(
            child for s in group if isinstance(s, Field) for child in s.selections or ()
        )
        return Field(
            name=first.name,
            alias=first.alias,
            arguments=first.arguments,
            directives=first.directives,
            selections=merge_selections(children),
        )
    children = tuple(child for s in group for child in _children(s))
    return InlineFragment(
        type_condition=first.type_condition,
        selections=merge_selections(children),
        directives=first.directives,
    )


def _children(selection: Selection) -> tuple[Selection, ...]:
    return selection.selections or () if isinstance(selection, Field) else selection.selections

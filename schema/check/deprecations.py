"""Changes graphql-core does not list: deprecations added, removed or reworded (all safe)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol, TypeVar

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
)

from .model import Change, Level

T = TypeVar("T")


class Deprecatable(Protocol):
    """A field, argument, input field or enum value."""

    @property
    def deprecation_reason(self) -> str | None: ...


def deprecation_changes(old: GraphQLSchema, new: GraphQLSchema) -> list[Change]:
    """Fields, arguments, input fields and enum values deprecated or no longer deprecated."""
    return [
        change
        for coordinate, old_element, new_element in _persisted_elements(old, new)
        if (change := _compare(coordinate, old_element, new_element)) is not None
    ]


def _persisted_elements(
    old: GraphQLSchema, new: GraphQLSchema
) -> Iterator[tuple[str, Deprecatable, Deprecatable]]:
    """Every element present in both schemas, with its coordinate."""
    for name, old_type in old.type_map.items():
        new_type = new.type_map.get(name)
        if name.startswith("__") or new_type is None:
            continue
        if isinstance(old_type, GraphQLObjectType | GraphQLInterfaceType) and isinstance(
            new_type, GraphQLObjectType | GraphQLInterfaceType
        ):
            for field_name, old_field, new_field in _both(old_type.fields, new_type.fields):
                yield f"{name}.{field_name}", old_field, new_field
                for arg, old_arg, new_arg in _both(old_field.args, new_field.args):
                    yield f"{name}.{field_name}({arg}:)", old_arg, new_arg
        elif isinstance(old_type, GraphQLInputObjectType) and isinstance(
            new_type, GraphQLInputObjectType
        ):
            for field_name, old_input, new_input in _both(old_type.fields, new_type.fields):
                yield f"{name}.{field_name}", old_input, new_input
        elif isinstance(old_type, GraphQLEnumType) and isinstance(new_type, GraphQLEnumType):
            for value, old_value, new_value in _both(old_type.values, new_type.values):
                yield f"{name}.{value}", old_value, new_value


def _both(old: Mapping[str, T], new: Mapping[str, T]) -> Iterator[tuple[str, T, T]]:
    for name, old_item in old.items():
        new_item = new.get(name)
        if new_item is not None:
            yield name, old_item, new_item


def _compare(coordinate: str, old: Deprecatable, new: Deprecatable) -> Change | None:
    before, after = old.deprecation_reason, new.deprecation_reason
    if before == after:
        return None
    if after is None:
        kind, message = "DEPRECATION_REMOVED", f"{coordinate} is no longer deprecated."
    elif before is None:
        kind, message = "DEPRECATION_ADDED", f"{coordinate} was deprecated: {_one_line(after)}"
    else:
        kind = "DEPRECATION_REASON_CHANGED"
        message = f"{coordinate} deprecation reason changed to: {_one_line(after)}"
    return Change(Level.SAFE, kind, coordinate, message)


def _one_line(reason: str) -> str:
    text = " ".join(reason.split())
    return text if text.endswith(".") else f"{text}."

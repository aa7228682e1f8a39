"""Entity representations: `{"__typename": ..., <key fields>, <required fields>}` built from the
response so far, de-duplicated so that each distinct entity is sent to a subgraph once per call.

An object without its key fields (its fetch failed) is left out; `@requires` data that are
missing are left out of the representation, which is sent with what there is, as Apollo does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLSchema, is_abstract_type

from gateway.execution.paths import ResponsePath
from gateway.planning import Field, Selection

_MISSING = object()


@dataclass
class EntityBatch:
    """The distinct representations of one `_entities` call and where each answer goes."""

    representations: list[dict[str, Any]] = field(default_factory=list)
    #: for representation i, the objects its answer merges into and their client paths
    targets: list[list[tuple[dict[str, Any], ResponsePath]]] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    def add(self, representation: dict[str, Any], obj: dict[str, Any], path: ResponsePath) -> None:
        """Add one object's representation; an identical one already present is reused."""
        key = json.dumps(representation, sort_keys=True, default=str)
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = len(self.representations)
            self.representations.append(representation)
            self.targets.append([])
        self.targets[index].append((obj, path))

    def collect(
        self,
        objects: Iterable[tuple[dict[str, Any], ResponsePath]],
        requires: tuple[Selection, ...],
        schema: GraphQLSchema,
        keys: Callable[[str], tuple[frozenset[str], ...]] = lambda _: (),
        sent_as: Callable[[str], str] = lambda typename: typename,
    ) -> None:
        """Add the objects found at a Flatten path; objects no `requires` fragment matches (other
        types) or that hold none of the keys `keys(typename)` (their fetch failed) are left
        out. `sent_as(typename)` is the `__typename` the subgraph knows the entity by."""
        for obj, path in objects:
            representation = _pick(obj, requires, schema)
            if not isinstance(representation, dict) or not representation:
                continue
            typename = representation.get("__typename")
            if isinstance(typename, str):
                typename = representation["__typename"] = sent_as(typename)
            known = keys(typename) if isinstance(typename, str) else ()
            if not known or any(key <= representation.keys() for key in known):
                self.add(representation, obj, path)


def _pick(obj: dict[str, Any], selections: tuple[Selection, ...], schema: GraphQLSchema) -> Any:
    """The part of `obj` that `selections` name, under field names (not aliases); absent fields
    are left out."""
    picked: dict[str, Any] = {}
    typename = obj.get("__typename")
    for selection in selections:
        if isinstance(selection, Field):
            if selection.response_key not in obj:
                continue
            value = _pick_value(obj[selection.response_key], selection, schema)
            if value is not _MISSING:
                picked[selection.name] = value
        elif _applies(selection.type_condition, typename, schema):
            picked.update(_pick(obj, selection.selections, schema))
    return picked


def _pick_value(value: Any, field_: Field, schema: GraphQLSchema) -> Any:
    if field_.selections is None or value is None:
        return value
    if isinstance(value, list):
        return [_pick_value(item, field_, schema) for item in value]
    if isinstance(value, dict):
        return _pick(value, field_.selections, schema)
    return _MISSING


def _applies(condition: str | None, typename: object, schema: GraphQLSchema) -> bool:
    """Whether a fragment on `condition` applies to an object of type `typename`."""
    if condition is None or condition == typename:
        return True
    if not isinstance(typename, str):
        return False
    condition_type = schema.get_type(condition)
    object_type = schema.get_type(typename)
    return (
        condition_type is not None
        and object_type is not None
        and is_abstract_type(condition_type)
        and schema.is_sub_type(condition_type, object_type)
    )

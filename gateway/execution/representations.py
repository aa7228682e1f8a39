"""Entity representations: `{"__typename": ..., <key fields>}` built from the response so far,
de-duplicated so that each distinct entity is sent to a subgraph once per call."""

from __future__ import annotations

import json
from collections.abc import Iterable
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
    ) -> None:
        """Add the objects found at a Flatten path; objects no `requires` fragment matches (other
        types) or that lack key fields (their fetch failed) are left out."""
        for obj, path in objects:
            representation = _pick(obj, requires, schema)
            if isinstance(representation, dict) and representation:
                self.add(representation, obj, path)


def _pick(obj: dict[str, Any], selections: tuple[Selection, ...], schema: GraphQLSchema) -> Any:
    """The part of `obj` that `selections` name; `_MISSING` when a named field is absent."""
    picked: dict[str, Any] = {}
    typename = obj.get("__typename")
    for selection in selections:
        if isinstance(selection, Field):
            if selection.response_key not in obj:
                return _MISSING
            value = _pick_value(obj[selection.response_key], selection, schema)
            if value is _MISSING:
                return _MISSING
            picked[selection.name] = value
        elif _applies(selection.type_condition, typename, schema):
            inner = _pick(obj, selection.selections, schema)
            if inner is _MISSING:
                return _MISSING
            picked.update(inner)
    return picked


def _pick_value(value: Any, field_: Field, schema: GraphQLSchema) -> Any:
    if field_.selections is None or value is None:
        return value
    if isinstance(value, list):
        items = [_pick_value(item, field_, schema) for item in value]
        return _MISSING if any(item is _MISSING for item in items) else items
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

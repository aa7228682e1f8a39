"""Merge a fetch's result into the response being built, in place.

Values taken from a subgraph response are copied: responses may be shared (in-flight
de-duplication hands one response to several requests), and later fetches merge into these
objects.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def deep_merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Merge `source` into `target`: objects field by field, same-length lists item by item."""
    for key, value in source.items():
        existing = target.get(key)
        if isinstance(existing, dict) and isinstance(value, dict):
            deep_merge(existing, value)
        elif isinstance(existing, list) and isinstance(value, list) and len(existing) == len(value):
            _merge_lists(existing, value)
        else:
            target[key] = _copy(value)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _merge_lists(target: list[Any], source: list[Any]) -> None:
    for index, (old, new) in enumerate(zip(target, source, strict=True)):
        if isinstance(old, dict) and isinstance(new, dict):
            deep_merge(old, new)
        elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
            _merge_lists(old, new)
        else:
            target[index] = _copy(new)


def merge_entity(
    target: dict[str, Any], entity: dict[str, Any], is_object_type: Callable[[str], bool]
) -> None:
    """Merge an `_entities` answer into the object it answers. A graph modelling an interface
    as an object (`@interfaceObject`) answers `__typename` with the interface's name: that never
    replaces the real type already known."""
    typename = entity.get("__typename")
    if "__typename" in target and isinstance(typename, str) and not is_object_type(typename):
        entity = {k: v for k, v in entity.items() if k != "__typename"}
    deep_merge(target, entity)

"""Merge a fetch's result into the response being built, in place.

Values merged in become part of the response and later fetches merge into them, so they must
belong to this request alone. A subgraph response the transport hands over as `owned` (parsed for
this request only) is merged as it is; any other one (a mock's fixed answer, a response shared by
in-flight de-duplication) is copied first. An entity answer merged into several objects is
copied for all but the first. Keys the planner aliased in a fetch are renamed back first
(`rename_keys`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

from gateway.planning.nodes import KeyRename


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON value (through orjson: much faster than walking it in Python)."""
    try:
        return orjson.loads(orjson.dumps(value))
    except (TypeError, orjson.JSONDecodeError):  # an integer beyond 64 bits, say
        return json.loads(json.dumps(value))


def deep_merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Merge `source` into `target`: objects field by field, same-length lists item by item.
    Values of `source` are taken as they are: the caller gives up `source`."""
    for key, value in source.items():
        existing = target.get(key)
        if existing is None:
            target[key] = value
        elif isinstance(existing, dict) and isinstance(value, dict):
            deep_merge(existing, value)
        elif isinstance(existing, list) and isinstance(value, list) and len(existing) == len(value):
            _merge_lists(existing, value)
        else:
            target[key] = value


def _merge_lists(target: list[Any], source: list[Any]) -> None:
    for index, (old, new) in enumerate(zip(target, source, strict=True)):
        if isinstance(old, dict) and isinstance(new, dict):
            deep_merge(old, new)
        elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
            _merge_lists(old, new)
        else:
            target[index] = new


def merge_entity(
    target: dict[str, Any], entity: dict[str, Any], is_object_type: Callable[[str], bool]
) -> None:
    """Merge an `_entities` answer into the object it answers (giving up `entity`). A graph
    modelling an interface as an object (`@interfaceObject`) answers `__typename` with the
    interface's name: that never replaces the real type already known."""
    typename = entity.get("__typename")
    if "__typename" in target and isinstance(typename, str) and not is_object_type(typename):
        entity = {k: v for k, v in entity.items() if k != "__typename"}
    deep_merge(target, entity)


def merge_scalar_entity(
    targets: list[dict[str, Any]], entity: dict[str, Any], is_object_type: Callable[[str], bool]
) -> None:
    """`merge_entity` of one answer holding only scalars into each of `targets`: the same as
    merging it into each in turn (a scalar replaces what was there), done as one `update`
    each; the answer's values are shared, which shares nothing changeable."""
    typename = entity.get("__typename")
    drops_typename = isinstance(typename, str) and not is_object_type(typename)
    without_typename: dict[str, Any] | None = None
    for target in targets:
        if drops_typename and "__typename" in target:
            if without_typename is None:
                without_typename = {k: v for k, v in entity.items() if k != "__typename"}
            target.update(without_typename)
        else:
            target.update(entity)


def rename_keys(value: Any, renames: tuple[KeyRename, ...]) -> None:
    """Undo a fetch's aliases in its answer, in place, before it is merged (the answer belongs
    to this request: owned or copied). `renames` come deepest first, so every path still names
    the keys as the subgraph answered them."""
    for rename in renames:
        _rename(value, rename.path, rename.alias, rename.response_key)


def _rename(value: Any, path: tuple[str, ...], alias: str, key: str) -> None:
    if isinstance(value, list):
        for item in value:
            _rename(item, path, alias, key)
    elif isinstance(value, dict):
        if path:
            _rename(value.get(path[0]), path[1:], alias, key)
        elif alias in value:
            found = value.pop(alias)
            # An object matching both fragments answered the field twice: the values agree.
            value.setdefault(key, found)

"""Find the objects a `Flatten` node works on, with their client response paths.

A plan path is response keys with `@` for "each item of this list" (`orders.items.@.user`); a
client path has the list indices (`["orders", "items", 3, "user"]`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

ResponsePath = tuple[str | int, ...]


def objects_at(
    value: Any, path: tuple[str, ...], prefix: ResponsePath = ()
) -> Iterator[tuple[dict[str, Any], ResponsePath]]:
    """Every object found at `path` under `value`, skipping nulls and absent fields."""
    if not path:
        if isinstance(value, dict):
            yield value, prefix
        return
    head, rest = path[0], path[1:]
    if head == "@":
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from objects_at(item, rest, (*prefix, index))
    elif isinstance(value, dict) and head in value:
        yield from objects_at(value[head], rest, (*prefix, head))

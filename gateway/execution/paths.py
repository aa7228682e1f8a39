"""Find the objects a `Flatten` node works on, with their client response paths.

A plan path is response keys with `@` for "each item of this list" (`orders.items.@.user`); a
client path has the list indices (`["orders", "items", 3, "user"]`).
"""

from __future__ import annotations

from typing import Any

ResponsePath = tuple[str | int, ...]


def objects_at(value: Any, path: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every object found at `path` under `value`, in document order, skipping nulls and absent
    fields."""
    found: list[Any] = [value]
    for head in path:
        deeper: list[Any] = []
        if head == "@":
            for current in found:
                if isinstance(current, list):
                    deeper.extend(current)
        else:
            for current in found:
                if isinstance(current, dict):
                    child = current.get(head)
                    if child is not None:
                        deeper.append(child)
        found = deeper
    return [current for current in found if isinstance(current, dict)]


def paths_at(
    value: Any, path: tuple[str, ...], prefix: ResponsePath = ()
) -> list[tuple[dict[str, Any], ResponsePath]]:
    """`objects_at` with the client path of each object (slower: for mapping errors)."""
    found: list[tuple[Any, ResponsePath]] = [(value, prefix)]
    for head in path:
        deeper: list[tuple[Any, ResponsePath]] = []
        if head == "@":
            for current, at in found:
                if isinstance(current, list):
                    deeper.extend((item, (*at, index)) for index, item in enumerate(current))
        else:
            for current, at in found:
                if isinstance(current, dict) and head in current:
                    deeper.append((current[head], (*at, head)))
        found = deeper
    return [(current, at) for current, at in found if isinstance(current, dict)]


class PathSet:
    """Several plan paths walked together: a prefix they share (`users.@.reviews.@.product` of
    `users.@.reviews.@.product` and `users.@.reviews.@.product.reviews.@.author`) is walked once.
    Worked out once per Flatten group (`CompiledPlans.paths`), used on every request."""

    __slots__ = ("_ends", "_steps", "paths")

    def __init__(self, paths: tuple[tuple[str, ...], ...]) -> None:
        self.paths = paths
        at: dict[tuple[str, ...], int] = {(): 0}
        #: (the prefix one shorter, the head that extends it), in an order where a parent
        #: comes before its children
        self._steps: list[tuple[int, str]] = []
        self._ends: list[int] = []
        for path in paths:
            for length in range(1, len(path) + 1):
                prefix = path[:length]
                if prefix not in at:
                    at[prefix] = len(self._steps) + 1
                    self._steps.append((at[path[: length - 1]], path[length - 1]))
            self._ends.append(at[path])

    def objects(self, value: Any) -> list[list[dict[str, Any]]]:
        """For each path, what `objects_at(value, path)` gives."""
        found: list[list[Any]] = [[value]]
        for parent, head in self._steps:
            deeper: list[Any] = []
            if head == "@":
                for current in found[parent]:
                    if isinstance(current, list):
                        deeper.extend(current)
            else:
                for current in found[parent]:
                    if isinstance(current, dict):
                        child = current.get(head)
                        if child is not None:
                            deeper.append(child)
            found.append(deeper)
        return [[c for c in found[end] if isinstance(c, dict)] for end in self._ends]

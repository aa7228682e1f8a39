"""Find the objects a `Flatten` node works on, with their client response paths.

A plan path is response keys with `@` for "each item of this list" (`orders.items.@.user`); a
client path has the list indices (`["orders", "items", 3, "user"]`).
"""

from __future__ import annotations

from collections.abc import Callable
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
    Worked out once per Flatten group (`CompiledPlans.paths`), used on every request.

    The walk is written out as one Python function of nested loops (`_compile`): no list per
    step, each object appended straight to the list of the path ending there. Paths too deep
    for Python's nesting limits are walked step by step (`_walk`)."""

    __slots__ = ("_ends", "_steps", "objects", "paths")

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
        #: for each path, what `objects_at(value, path)` gives
        self.objects: Callable[[Any], list[list[dict[str, Any]]]] = (
            _compile(self._steps, self._ends) or self._walk
        )

    def _walk(self, value: Any) -> list[list[dict[str, Any]]]:
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


#: Python allows 20 nested loops and 100 levels of indentation; the generated walk stays below
_MAX_LOOPS, _MAX_DEPTH = 18, 90


def _compile(
    steps: list[tuple[int, str]], ends: list[int]
) -> Callable[[Any], list[list[dict[str, Any]]]] | None:
    """`PathSet._walk` as one function: the trie of the paths as nested blocks, depth first
    (which is document order, as the step-by-step walk gives). Node `n` (0 the root) holds its
    value in `vn`; a key step is one `if`, a list step one `for`. The source holds only indices:
    the keys are constants of its namespace. None when the nesting would be too deep."""
    children: dict[int, list[tuple[int, str]]] = {}
    for node, (parent, head) in enumerate(steps, start=1):
        children.setdefault(parent, []).append((node, head))
    ending = sorted(set(ends))
    namespace: dict[str, Any] = {}
    lines = ["def objects(v0):"]
    for end in ending:
        lines += [f"    o{end} = []", f"    a{end} = o{end}.append"]

    def write(node: int, depth: int, loops: int) -> bool:
        if depth > _MAX_DEPTH:
            return False
        pad = "    " * depth
        keys = [(child, head) for child, head in children.get(node, ()) if head != "@"]
        items = [child for child, head in children.get(node, ()) if head == "@"]
        if node in ending or keys:
            lines.append(f"{pad}if isinstance(v{node}, dict):")
            if node in ending:
                lines.append(f"{pad}    a{node}(v{node})")
            for child, head in keys:
                namespace[f"K{child}"] = head
                lines.append(f"{pad}    if (v{child} := v{node}.get(K{child})) is not None:")
                if not write(child, depth + 2, loops):
                    return False
        for child in items:
            if loops + 1 > _MAX_LOOPS:
                return False
            lines.append(f"{pad}if isinstance(v{node}, list):")
            lines.append(f"{pad}    for v{child} in v{node}:")
            if not write(child, depth + 2, loops + 1):
                return False
        if lines[-1].endswith(":"):  # a path ending in a list: nothing there is an object
            lines.append(f"{pad}    pass")
        return True

    if not write(0, 1, 0):
        return None
    seen: set[int] = set()
    results = []
    for end in ends:  # the same path twice: each gets its own list, as the walk gives
        results.append(f"list(o{end})" if end in seen else f"o{end}")
        seen.add(end)
    lines.append(f"    return [{', '.join(results)}]")
    code = compile("\n".join(lines), f"<objects at {len(ends)} paths>", "exec")
    exec(code, namespace)
    objects: Callable[[Any], list[list[dict[str, Any]]]] = namespace["objects"]
    return objects

"""Selections taken out of an operation before planning, answered `null` with an error by
shaping (`shaping.py`), with the null propagation it applies to every other null.

Authorization (gateway/policy/authorization) makes them: each removed field stays in the planned
operation as a `__typename` stand-in (free to fetch, and present exactly on the objects the
removed field applied to, `@skip`/`@include` kept), and a fragment on a type the caller may not
see keeps a hidden `__typename` marker, so shaping knows which objects were of that type.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Removal:
    """One selection taken out: where its stand-in is, and what to answer instead."""

    #: response keys from the root to the object scope holding the stand-in (no list positions)
    parent: tuple[str, ...]
    #: the response key of its `__typename` stand-in in the planned operation
    stand_in: str
    #: the client's response key of the removed field; None for a fragment on a type the caller
    #: may not see (its objects get the error, and no key)
    key: str | None
    #: the field is non-null: its null propagates to the nearest nullable parent
    non_null: bool
    message: str
    code: str

    def error(self, path: list[str | int]) -> dict[str, Any]:
        """The GraphQL error for the object at `path` (the field's key is added here)."""
        return {
            "message": self.message,
            "path": path if self.key is None else [*path, self.key],
            "extensions": {"code": self.code},
        }


@dataclass(frozen=True, eq=False)
class Removals:
    """Every selection taken out of one operation, by where shaping finds its stand-in."""

    entries: tuple[Removal, ...]
    #: (parent path, stand-in key) -> the removal
    by_stand_in: dict[tuple[tuple[str, ...], str], Removal] = field(init=False)
    #: every parent path and each of its prefixes: the selection sets shaping walks itself
    scopes: frozenset[tuple[str, ...]] = field(init=False)

    def __post_init__(self) -> None:
        # A stand-in shared by several fragments (one key, one kind of removal) is one entry.
        object.__setattr__(self, "by_stand_in", {(r.parent, r.stand_in): r for r in self.entries})
        scopes = {r.parent[:n] for r in self.entries for n in range(len(r.parent) + 1)}
        object.__setattr__(self, "scopes", frozenset(scopes))

    def __iter__(self) -> Iterator[Removal]:
        return iter(self.entries)

    @classmethod
    def of(cls, entries: Iterable[Removal]) -> Removals:
        """The removals, in the order they were made."""
        return cls(tuple(entries))

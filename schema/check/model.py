"""A schema change as the check reports it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(Enum):
    """How a change affects the operations clients already send, worst first."""

    BREAKING = "BREAKING"
    DANGEROUS = "DANGEROUS"
    SAFE = "SAFE"


_RANK = {level: rank for rank, level in enumerate(Level)}


@dataclass(frozen=True)
class Change:
    """One change: how bad, what kind, where (`Type.field(arg:)`) and a one-line explanation."""

    level: Level
    kind: str
    coordinate: str
    message: str

    def sort_key(self) -> tuple[int, str, str]:
        """Worst first, then by coordinate."""
        return _RANK[self.level], self.coordinate, self.message

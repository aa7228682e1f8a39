"""Partial updates: telling a field left out of the input from a field set to null."""

from __future__ import annotations

from typing import Any, Final

import strawberry


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


#: Passed for a field an update leaves as it is (None is a value: it clears the field).
KEEP: Final[Any] = _Keep()


def given(value: object) -> object:
    """KEEP for a field left out of a GraphQL input, else its value (null included)."""
    return KEEP if value is strawberry.UNSET else value

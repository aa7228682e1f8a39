"""GraphQL `ID`s of rows: decimal strings outside, positive integers inside."""

from __future__ import annotations

from typing import Any

#: Larger ids cannot be rows: ids are INTEGER columns (32-bit signed on PostgreSQL), and asking
#: the database for a larger one fails in the driver instead of finding nothing.
MAX_ID = 2**31 - 1


def parse_id(value: Any) -> int | None:
    """The row id an `ID` names, or None when it cannot name a row (empty, non-numeric, <= 0)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdecimal() and value.strip().isascii():
        number = int(value.strip())
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def format_id(row_id: int) -> str:
    """The `ID` of a row id."""
    return str(row_id)

"""GraphQL IDs to row ids."""

from __future__ import annotations

import pytest

from subgraphs.kit.ids import format_id, parse_id


@pytest.mark.parametrize(("value", "row_id"), [("1", 1), (" 42 ", 42), (7, 7), ("0007", 7)])
def test_ids_that_name_rows(value, row_id) -> None:
    assert parse_id(value) == row_id


#: Values naming no row; 2**31 and "2147483648" are past the INTEGER columns.
NOT_IDS = ["", "abc", "0", "-1", "1.5", "1e3", "١٢", None, True, 0, -4, 1.0, "9" * 30, 2**31]


@pytest.mark.parametrize("value", [*NOT_IDS, "2147483648"])
def test_ids_that_cannot_name_rows(value) -> None:
    assert parse_id(value) is None


def test_format_id() -> None:
    assert format_id(12) == "12"


def test_the_largest_id_an_integer_column_holds() -> None:
    assert parse_id("2147483647") == 2**31 - 1

"""The slices of the port range that the test suite's workers draw free ports from, apart."""

from __future__ import annotations

from itertools import pairwise

import pytest

from devstack.processes import PORT_RANGE, port_slice


def test_the_slices_of_the_workers_are_apart_and_within_the_range() -> None:
    slices = [port_slice(part, 3) for part in range(3)]

    assert slices[0][0] == PORT_RANGE[0] and slices[-1][1] <= PORT_RANGE[1]
    for (_, stop), (start, _) in pairwise(slices):
        assert stop <= start  # a port drawn in one slice is never drawn in another
    assert all(stop - start >= 1000 for start, stop in slices)


@pytest.mark.parametrize(("part", "parts"), [(3, 3), (-1, 3), (0, 0)])
def test_a_part_outside_the_parts_is_refused(part: int, parts: int) -> None:
    with pytest.raises(ValueError, match="must be at least 0"):
        port_slice(part, parts)

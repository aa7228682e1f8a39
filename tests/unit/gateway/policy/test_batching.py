"""Batched requests: off unless enabled, then capped."""

from __future__ import annotations

import pytest

from gateway.policy.batching import check_batch
from gateway.policy.errors import PolicyError


def test_a_batch_is_refused_unless_enabled() -> None:
    with pytest.raises(PolicyError) as refused:
        check_batch([{}], enabled=False, max_size=10)
    assert (refused.value.status, refused.value.code) == (400, "BATCHING_NOT_ENABLED")


def test_an_enabled_batch_is_capped() -> None:
    check_batch([{}] * 3, enabled=True, max_size=3)
    with pytest.raises(PolicyError) as refused:
        check_batch([{}] * 4, enabled=True, max_size=3)
    assert (refused.value.status, refused.value.code) == (400, "BATCH_LIMIT_EXCEEDED")

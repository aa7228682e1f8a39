"""Batched requests (a JSON array of operations): refused unless `GATEWAY_BATCHING=true`, then
capped at `GATEWAY_MAX_BATCH_SIZE` operations."""

from __future__ import annotations

from typing import Any

from gateway.policy.errors import BATCH_LIMIT_EXCEEDED, BATCHING_NOT_ENABLED, PolicyError


def check_batch(batch: list[Any], *, enabled: bool, max_size: int) -> None:
    """`PolicyError` (400) when batching is off or `batch` holds too many operations."""
    if not enabled:
        raise PolicyError(
            400,
            BATCHING_NOT_ENABLED,
            "Batched requests are not enabled on this gateway; send one operation per request.",
        )
    if len(batch) > max_size:
        raise PolicyError(
            400,
            BATCH_LIMIT_EXCEEDED,
            f"The batch holds {len(batch)} operations, more than the {max_size} allowed;"
            " send smaller batches.",
        )
    if not batch:
        raise PolicyError(400, BATCH_LIMIT_EXCEEDED, "The batch is empty; send an operation.")

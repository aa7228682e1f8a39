"""Batched requests: each operation of a JSON array run through the same pipeline, in order,
answered in an array in the same order (a refused operation answers with its errors)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from gateway.app.params import GraphQLParams, params_from_value
from gateway.execution import GraphQLResponse
from gateway.policy.errors import PolicyError


async def run_batch(
    run_one: Callable[[GraphQLParams], Awaitable[GraphQLResponse]], batch: list[Any]
) -> list[GraphQLResponse]:
    """The answers to `batch`, one per operation, run one after the other (a mutation may
    depend on the one before it)."""
    answers: list[GraphQLResponse] = []
    for item in batch:
        try:
            answers.append(await run_one(params_from_value(item)))
        except PolicyError as exc:
            answers.append(exc.body())
    return answers

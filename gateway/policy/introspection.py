"""Introspection switch: with `GATEWAY_INTROSPECTION` off (the production default), an operation
selecting `__schema` or `__type` anywhere (fragments included) is refused; `__typename` stays.
Whether it does is measured with the operation limits, in the same walk
(`OperationShape.introspects`)."""

from __future__ import annotations

from gateway.policy.errors import INTROSPECTION_DISABLED, PolicyError


def check_introspection(uses: bool, allowed: bool) -> None:
    """`PolicyError` (400) when the operation introspects and introspection is off."""
    if uses and not allowed:
        raise PolicyError(
            400,
            INTROSPECTION_DISABLED,
            "Introspection is disabled on this gateway; use the published schema instead.",
        )

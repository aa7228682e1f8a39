"""Collecting input problems so that one VALIDATION_FAILED names every bad field."""

from __future__ import annotations

from typing import Any

from common.errors import FieldProblem, ValidationFailed


def require_valid(values: dict[str, Any]) -> dict[str, Any]:
    """`values` (each a clean value or a FieldProblem) when none is a problem; else raise."""
    problems = [value for value in values.values() if isinstance(value, FieldProblem)]
    if problems:
        raise ValidationFailed.of(problems)
    return values

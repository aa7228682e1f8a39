"""A gateway's answer against `expected-response.json`, compared as the kit's verify.mjs does."""

from __future__ import annotations

import json
from typing import Any


def answer_problem(expected: Any, status: int, raw: bytes) -> str | None:
    """None when the answer is correct; else its HTTP status, first difference and first error."""
    try:
        diff = first_difference(expected, json.loads(raw))
    except ValueError:
        diff = f"$: the answer is not JSON: {raw[:160]!r}"
    if diff is None and status != 200:
        diff = f"HTTP status {status}"
    if diff is None:
        return None
    errors = ""
    try:
        got = json.loads(raw)
        if isinstance(got, dict) and got.get("errors"):
            errors = f"; errors[0].message: {short(got['errors'][0].get('message'))}"
    except (ValueError, AttributeError):
        pass
    return f"HTTP {status}, first difference at {diff}{errors}"


def first_difference(expected: Any, got: Any, path: str = "$") -> str | None:
    """None when `got` equals `expected` (object key order ignored, as in the kit's verify.mjs)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"{path}: expected an object, got {short(got)}"
        for key in expected:
            if key not in got:
                return f"{path}.{key}: missing (expected {short(expected[key])})"
            diff = first_difference(expected[key], got[key], f"{path}.{key}")
            if diff:
                return diff
        for key in got:
            if key not in expected:
                return f"{path}.{key}: unexpected, got {short(got[key])}"
        return None
    if isinstance(expected, list):
        if not isinstance(got, list):
            return f"{path}: expected a list, got {short(got)}"
        for index, (e, g) in enumerate(zip(expected, got, strict=False)):
            diff = first_difference(e, g, f"{path}[{index}]")
            if diff:
                return diff
        if len(expected) != len(got):
            return f"{path}: expected {len(expected)} items, got {len(got)}"
        return None
    same_type = isinstance(expected, bool) == isinstance(got, bool) and (
        type(expected) is type(got)
        or (isinstance(expected, int | float) and isinstance(got, int | float))
    )
    if not same_type or expected != got:
        return f"{path}: expected {short(expected)}, got {short(got)}"
    return None


def short(value: Any, limit: int = 160) -> str:
    text = json.dumps(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."

"""snake_case for REST, camelCase for GraphQL: the original bodies and answers use the first."""

from __future__ import annotations

import re
from typing import Any

_UPPER = re.compile(r"(?<!^)(?=[A-Z])")


def snake(name: str) -> str:
    """`createdAt` -> `created_at`."""
    return _UPPER.sub("_", name).lower()


def camel(name: str) -> str:
    """`created_at` -> `createdAt`."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake_keys(value: Any) -> Any:
    """`value` with every object key in snake_case, recursively."""
    if isinstance(value, dict):
        return {snake(key): snake_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [snake_keys(item) for item in value]
    return value

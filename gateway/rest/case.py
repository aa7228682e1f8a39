"""snake_case for REST, camelCase for GraphQL: the original bodies and answers use the first."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

_UPPER = re.compile(r"(?<!^)(?=[A-Z])")


def snake(name: str) -> str:
    """`createdAt` -> `created_at`."""
    return _UPPER.sub("_", name).lower()


def snake_path(path: str) -> str:
    """A GraphQL field path in snake_case: `input[1].eventType` -> `input[1].event_type`."""
    return ".".join(snake(part) for part in path.split("."))


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


def reference_as_id(value: Any, field: str, name: str, key: str = "id") -> Any:
    """An answer's `field: {key: x}` (a reference to another object) as `name: x`, null when
    the object is null; for a model's `before` validator. `value` is left as it is."""
    if isinstance(value, dict) and field in value:
        reference = value[field] or {}
        value = {k: v for k, v in value.items() if k != field}
        value[name] = reference.get(key)
    return value


def graph_input(body: BaseModel, *, enums: tuple[str, ...] = ()) -> dict[str, Any]:
    """A request body as a GraphQL input: the fields sent, camelCase keys, the `enums` fields
    in upper case and integer ids (`id`, `*_id`) as `ID` strings; nested objects too."""
    return _graph_value(body.model_dump(exclude_unset=True), frozenset(enums))  # type: ignore[no-any-return]


def _graph_value(value: Any, enums: frozenset[str], key: str = "") -> Any:
    if isinstance(value, dict):
        return {camel(k): _graph_value(v, enums, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_graph_value(item, enums, key) for item in value]
    if key in enums and isinstance(value, str):
        return value.upper()
    if (
        (key == "id" or key.endswith("_id"))
        and isinstance(value, int)
        and not isinstance(value, bool)
    ):
        return str(value)
    return value

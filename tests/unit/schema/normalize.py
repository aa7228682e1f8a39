"""Order-insensitive normal form of a supergraph, for comparing ours with @apollo/composition's."""

from __future__ import annotations

import json
from typing import Any

from graphql import parse
from graphql.utilities import ast_to_dict

UNORDERED = ("definitions", "directives", "arguments", "fields", "values", "interfaces", "types")


def normalize(sdl: str) -> str:
    """Sorted JSON of the parsed SDL: definitions, fields, values, directives and arguments."""
    tree = ast_to_dict(parse(sdl, no_location=True))
    return json.dumps(_normal(tree), indent=1, sort_keys=True)


def _normal(value: Any, key: str = "", parent_kind: str = "") -> Any:
    if isinstance(value, dict):
        kind = value.get("kind", "")
        return {k: _normal(v, k, kind) for k, v in value.items() if k != "loc"}
    if isinstance(value, list):
        items = [_normal(item) for item in value]
        if key in UNORDERED and parent_kind != "list_value":
            items.sort(key=lambda item: json.dumps(item, sort_keys=True))
        return items
    return value

"""GraphQL errors the executor adds to a response: subgraph errors mapped to client paths, and
one error per failed fetch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gateway.execution.paths import ResponsePath
from gateway.transport import SubgraphUnavailable

SUBGRAPH_UNAVAILABLE = "SUBGRAPH_UNAVAILABLE"


def unavailable_error(exc: SubgraphUnavailable) -> dict[str, Any]:
    """The one error reported for a fetch that got no usable answer."""
    return {
        "message": str(exc),
        "extensions": {"code": SUBGRAPH_UNAVAILABLE, "serviceName": exc.subgraph},
    }


def root_fetch_errors(errors: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Errors of a root fetch: its paths already are client paths."""
    return [_without_locations(error) for error in errors]


def entity_fetch_errors(
    errors: Sequence[dict[str, Any]], targets: Sequence[Sequence[tuple[Any, ResponsePath]]]
) -> list[dict[str, Any]]:
    """Errors of an `_entities` call, `["_entities", i, ...rest]` rewritten to the client path of
    every object that representation i answers (`["orders", "items", 3, "user", ...rest]`)."""
    result: list[dict[str, Any]] = []
    for error in errors:
        path = error.get("path")
        index = path[1] if isinstance(path, list) and len(path) >= 2 else None
        if (
            not isinstance(path, list)
            or path[0] != "_entities"
            or not isinstance(index, int)
            or not 0 <= index < len(targets)
        ):
            # Not about one entity (a validation error, say): report it without a path.
            cleaned = _without_locations(error)
            cleaned.pop("path", None)
            result.append(cleaned)
            continue
        for _, client_path in targets[index]:
            mapped = _without_locations(error)
            mapped["path"] = [*client_path, *path[2:]]
            result.append(mapped)
    return result


def _without_locations(error: dict[str, Any]) -> dict[str, Any]:
    # Locations point into the subgraph operation, which the client never saw.
    return {key: value for key, value in error.items() if key != "locations"}

"""GraphQL errors the executor adds to a response: subgraph errors mapped to client paths, and
one error per failed fetch."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from gateway.execution.paths import ResponsePath
from gateway.transport import SubgraphUnavailable

SUBGRAPH_UNAVAILABLE = "SUBGRAPH_UNAVAILABLE"
#: The code a subgraph error gets when it has none, as @apollo/gateway gives it.
DOWNSTREAM_SERVICE_ERROR = "DOWNSTREAM_SERVICE_ERROR"


def unavailable_error(exc: SubgraphUnavailable) -> dict[str, Any]:
    """The one error reported for a fetch that got no usable answer."""
    return {
        "message": str(exc),
        "extensions": {"code": SUBGRAPH_UNAVAILABLE, "serviceName": exc.subgraph},
    }


def root_fetch_errors(errors: Sequence[dict[str, Any]], service: str) -> list[dict[str, Any]]:
    """Errors of a root fetch: its paths already are client paths."""
    return [_client_error(error, service) for error in errors]


def entity_fetch_errors(
    errors: Sequence[dict[str, Any]],
    targets: Sequence[Sequence[tuple[Any, ResponsePath]]],
    service: str,
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
            or not targets[index]
        ):
            # Not about one entity (a validation error, say): report it without a path.
            cleaned = _client_error(error, service)
            cleaned.pop("path", None)
            result.append(cleaned)
            continue
        for _, client_path in targets[index]:
            mapped = _client_error(error, service)
            mapped["path"] = [*client_path, *path[2:]]
            result.append(mapped)
    return result


def unalias_paths(errors: list[dict[str, Any]], aliases: Mapping[str, str]) -> None:
    """Error paths through keys the planner aliased (`label__alias_0`) given the client's key
    back (the paths are replaced, not changed: they may be shared with the subgraph answer)."""
    for error in errors:
        path = error.get("path")
        if isinstance(path, list) and any(
            part in aliases for part in path if isinstance(part, str)
        ):
            error["path"] = [aliases.get(p, p) if isinstance(p, str) else p for p in path]


def _client_error(error: dict[str, Any], service: str) -> dict[str, Any]:
    """A subgraph error as the client sees it: its message and extensions, the subgraph named,
    `DOWNSTREAM_SERVICE_ERROR` when it had no code, and no locations (they point into the
    subgraph operation, which the client never saw)."""
    client = {key: value for key, value in error.items() if key != "locations"}
    extensions = error.get("extensions")
    extensions = dict(extensions) if isinstance(extensions, dict) else {}
    extensions.setdefault("code", DOWNSTREAM_SERVICE_ERROR)
    extensions["serviceName"] = service
    client["extensions"] = extensions
    return client

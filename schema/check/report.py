"""Print the changes for people (grouped BREAKING / DANGEROUS / SAFE) or as JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .model import Change, Level

_COORDINATE_WIDTH = 40


def summary(changes: Sequence[Change]) -> dict[str, int]:
    """How many changes of each level: `{"breaking": 1, "dangerous": 0, "safe": 3}`."""
    return {level.value.lower(): sum(c.level is level for c in changes) for level in Level}


def render_text(changes: Sequence[Change], against: str) -> str:
    """One group per level present, one line per change: coordinate, then the explanation."""
    counts = ", ".join(f"{n} {name}" for name, n in summary(changes).items())
    if not changes:
        return f"No changes to the API schema against {against}.\n"
    width = min(_COORDINATE_WIDTH, max(len(c.coordinate) for c in changes))
    lines = [f"API schema changes against {against}: {counts}."]
    for level in Level:
        group = [c for c in changes if c.level is level]
        if group:
            lines += ["", f"{level.value} ({len(group)})"]
            lines += [f"  {c.coordinate:<{width}}  {c.message}" for c in group]
    return "\n".join(lines) + "\n"


def render_json(changes: Sequence[Change], against: str) -> str:
    """`{"against", "summary", "changes": [{"level", "kind", "coordinate", "message"}]}`."""
    document = {
        "against": against,
        "summary": summary(changes),
        "changes": [
            {
                "level": c.level.value,
                "kind": c.kind,
                "coordinate": c.coordinate,
                "message": c.message,
            }
            for c in changes
        ],
    }
    return json.dumps(document, indent=2) + "\n"


def render_error_json(code: str, message: str, issues: Sequence[dict[str, str]] = ()) -> str:
    """`{"error": {"code", "message", "issues": [{"code", "message"}]}}` for exit status 2."""
    error: dict[str, Any] = {"code": code, "message": message, "issues": list(issues)}
    return json.dumps({"error": error}, indent=2) + "\n"

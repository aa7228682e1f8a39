"""Merging descriptions across subgraphs."""

from __future__ import annotations

from .model import Element


def merge_description(sources: list[Element | None]) -> str | None:
    """The description most subgraphs agree on (non-empty wins over empty)."""
    counts: dict[str, int] = {}
    for source in sources:
        if source is not None and source.description is not None:
            counts[source.description] = counts.get(source.description, 0) + 1
    if not counts:
        return None
    non_empty = [d for d in counts if d != ""]
    if len(counts) == 1:
        return next(iter(counts))
    if len(non_empty) == 1:
        return non_empty[0]
    return max(non_empty, key=lambda d: counts[d])

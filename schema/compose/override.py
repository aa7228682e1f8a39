"""`@override`: which subgraphs no longer resolve a field, and which still use it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import IssueCollector
from .facts import SubgraphFacts
from .model import Field, Subgraph


@dataclass
class Override:
    """Sources an @override made redundant (`unused`) or that still need the field (`used`)."""

    unused: set[int] = field(default_factory=set)
    used: set[int] = field(default_factory=set)


def resolve_override(
    coordinate: str,
    present: list[tuple[int, Field]],
    subgraphs: list[Subgraph],
    facts: list[SubgraphFacts],
    issues: IssueCollector,
) -> Override:
    """Classify the sources overridden by `@override(from:)` on field `coordinate`."""
    result = Override()
    by_name = {subgraphs[i].name: (i, f) for i, f in present}
    for i, source in present:
        for applied in source.applied("override"):
            if applied.arg("label") is not None:
                issues.add(
                    "UNSUPPORTED_FEATURE",
                    f'[{subgraphs[i].name}] Progressive @override(label:) on "{coordinate}" is '
                    "not supported yet: remove the label.",
                )
            origin = applied.string_arg("from")
            if origin == subgraphs[i].name:
                issues.add(
                    "OVERRIDE_FROM_SELF_ERROR",
                    f'Source and destination subgraphs "{origin}" are the same for overridden '
                    f'field "{coordinate}"',
                )
            elif origin in by_name:
                j, overridden = by_name[origin]
                used = (overridden.parent, overridden.name) in facts[j].used
                (result.used if used else result.unused).add(j)
    return result

"""Composition issues and the error that carries them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CompositionIssue:
    """One composition problem, with the @apollo/composition error code where one exists."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class CompositionError(Exception):
    """Composition failed; `issues` lists every problem found."""

    def __init__(self, issues: Sequence[CompositionIssue]) -> None:
        self.issues: list[CompositionIssue] = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


class IssueCollector:
    """Accumulates issues while a composition phase runs."""

    def __init__(self) -> None:
        self.issues: list[CompositionIssue] = []

    def add(self, code: str, message: str) -> None:
        """Record one issue."""
        self.issues.append(CompositionIssue(code, message))

    def extend(self, issues: Iterable[CompositionIssue]) -> None:
        """Record several issues."""
        self.issues.extend(issues)

    def raise_if_any(self) -> None:
        """Raise CompositionError when at least one issue was recorded."""
        if self.issues:
            raise CompositionError(self.issues)


def subgraph_list(names: Sequence[str]) -> str:
    """Render subgraph names the way @apollo/composition does: `subgraphs "a", "b" and "c"`."""
    return subgraph_labels([f'"{name}"' for name in names])


def subgraph_labels(labels: Sequence[str]) -> str:
    """`subgraph X` / `subgraphs X, Y and Z` for already quoted (or annotated) names."""
    if len(labels) == 1:
        return f"subgraph {labels[0]}"
    return "subgraphs " + ", ".join(labels[:-1]) + " and " + labels[-1]


def join_distribution(parts: Sequence[str]) -> str:
    """Join mismatch parts as `x in a but y in b and z in c`."""
    if len(parts) < 2:
        return "".join(parts)
    return parts[0] + " but " + " and ".join(parts[1:])

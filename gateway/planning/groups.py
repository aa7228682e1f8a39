"""The fetch groups of one plan: root groups, and entity groups shared by (graph, path, guards).

Entity groups form a DAG: a group waits for every group its representations read from (the key
from one, `@requires` data from others). Fields of one graph needed at one path share a group,
so each graph is asked once per path, unless sharing would create a cycle or delay a group that
others already wait for.
"""

from __future__ import annotations

from collections.abc import Iterable

from gateway.planning.conditions import Guard
from gateway.planning.fetch_group import FetchGroup

Path = tuple[str, ...]


class GroupSet:
    """Every fetch group made while planning one operation (or one mutation field)."""

    def __init__(self) -> None:
        self.groups: list[FetchGroup] = []
        self._entities: dict[tuple[str, Path, tuple[Guard, ...]], list[FetchGroup]] = {}

    def add_root(self, group: FetchGroup) -> FetchGroup:
        """Register a root group."""
        self.groups.append(group)
        return group

    def query_root(self, graph: str, kind: str = "query") -> FetchGroup:
        """The root fetch to `graph` of a query (or a subscription, planned as one), created on
        first use (not for mutations: their fields each keep their own fetch, in order)."""
        for group in self.groups:
            if group.graph == graph and group.kind == kind and not group.is_entity:
                return group
        return self.add_root(FetchGroup(graph, (), kind, False))

    def entity(
        self, graph: str, path: Path, guards: tuple[Guard, ...], parents: Iterable[FetchGroup]
    ) -> FetchGroup:
        """An entity group to `graph` at `path` that waits for `parents`: an existing one when
        that adds no cycle and no step before groups waiting for it, else a new one."""
        waits_for = list(parents)
        for candidate in self._entities.get((graph, path, guards), ()):
            if any(p is candidate or p.depends_on(candidate) for p in waits_for):
                continue
            before, old_parents = candidate.level(), list(candidate.parents)
            candidate.add_parents(waits_for)
            if candidate.level() > before and self._has_children(candidate):
                candidate.parents = old_parents
                continue
            return candidate
        group = FetchGroup(graph, path, "query", is_entity=True, guards=guards)
        group.add_parents(waits_for)
        self._entities.setdefault((graph, path, guards), []).append(group)
        self.groups.append(group)
        return group

    def existing(self, graph: str, path: Path, guards: tuple[Guard, ...]) -> bool:
        """Whether an entity group to `graph` at `path` exists already."""
        return bool(self._entities.get((graph, path, guards)))

    def _has_children(self, group: FetchGroup) -> bool:
        return any(group in g.parents for g in self.groups)

"""The fetch graph the optimise passes rewrite: one step per future fetch, placed in a plan step.

Built from the walk's fetch groups once the walk is done (`FetchGraph.from_groups`): a step has a
group's graph, selections and representation per entity type, the response paths it runs for and
the plan level it runs in (one after its latest parent). The passes (`gateway.planning.passes`)
move, merge and drop steps; `gateway.planning.assemble` turns the result into plan nodes, one
`Fetch` per step. Nothing here outlives planning: plans hold only the frozen nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graphql import print_ast

from gateway.planning.conditions import Guard
from gateway.planning.fetch_group import FetchGroup
from gateway.planning.selections import InlineFragment, Selection, to_selection_set

Path = tuple[str, ...]
#: selections keyed by entity type (`... on T`), or by position for a root fetch
ByType = dict[str | None, Selection]


@dataclass(eq=False)
class FetchStep:
    """One future fetch: to `graph`, at `level`, for the objects at each of `paths`."""

    graph: str
    kind: str
    is_entity: bool
    #: variable conditions of the fields the step hangs off (`Condition` nodes around it)
    guards: tuple[Guard, ...]
    #: the plan step it runs in: 0 for root fetches
    level: int
    selections: ByType
    #: entity steps only: `... on T { __typename <key> <required> }` per type
    requires: ByType
    paths: list[Path]
    #: the steps whose data this step's representations are read from
    parents: list[FetchStep] = field(default_factory=list)

    def agrees_with(self, other: FetchStep) -> bool:
        """Whether `other` can be sent in the same `_entities` call as this step: same graph,
        kind and guards, both entity steps, and the same selections and representation for
        every type they share."""
        return (
            self.is_entity
            and (other.graph, other.kind, other.is_entity, other.guards)
            == (self.graph, self.kind, self.is_entity, self.guards)
            and _agree(self.selections, other.selections)
            and _agree(self.requires, other.requires)
        )

    def absorb(self, other: FetchStep) -> None:
        """Take `other`'s types, paths and parents in (it is sent as part of this step)."""
        self.selections.update(other.selections)
        self.requires.update(other.requires)
        for path in other.paths:
            if path not in self.paths:
                self.paths.append(path)
        for parent in other.parents:
            if parent is not self and parent not in self.parents:
                self.parents.append(parent)


@dataclass
class FetchGraph:
    """The steps of one plan (or one mutation field's part of it), in the walk's order."""

    steps: list[FetchStep]

    @classmethod
    def from_groups(cls, groups: Iterable[FetchGroup]) -> FetchGraph:
        """One step per fetch group, at the level the group's dependencies put it."""
        memo: dict[int, int] = {}
        groups = list(groups)
        steps = {
            id(group): FetchStep(
                group.graph,
                group.kind,
                group.is_entity,
                group.guards,
                _level(group, memo),
                by_type(group.selections.build()),
                by_type(group.requires.build()),
                [group.merge_path],
            )
            for group in groups
        }
        for group in groups:
            steps[id(group)].parents = [steps[id(p)] for p in group.parents if id(p) in steps]
        return cls(list(steps.values()))

    def is_leaf(self, step: FetchStep) -> bool:
        """Whether no step waits for `step`'s data."""
        return not any(step in other.parents for other in self.steps)

    def remove(self, step: FetchStep, replacement: FetchStep | None = None) -> None:
        """Drop `step`; steps waiting for it wait for `replacement` instead (if any)."""
        self.steps.remove(step)
        for other in self.steps:
            if step in other.parents:
                other.parents.remove(step)
                if replacement is not None and replacement not in (other, *other.parents):
                    other.parents.append(replacement)

    def levels(self) -> list[list[FetchStep]]:
        """The steps by level, earliest first, each level in the walk's order."""
        found: dict[int, list[FetchStep]] = {}
        for step in self.steps:
            found.setdefault(step.level, []).append(step)
        return [found[level] for level in sorted(found)]


def by_type(selections: tuple[Selection, ...]) -> ByType:
    """Entity selections are one fragment per type; root selections keep their order."""
    if all(isinstance(s, InlineFragment) and not s.directives for s in selections):
        return {s.type_condition: s for s in selections if isinstance(s, InlineFragment)}
    return {str(i): s for i, s in enumerate(selections)}


def _level(group: FetchGroup, memo: dict[int, int]) -> int:
    found = memo.get(id(group))
    if found is None:
        found = memo[id(group)] = (
            1 + max(_level(p, memo) for p in group.parents) if group.parents else 0
        )
    return found


def _agree(old: ByType, new: ByType) -> bool:
    return all(_text(old[t]) == _text(s) for t, s in new.items() if t in old)


def _text(selection: Selection) -> str:
    return print_ast(to_selection_set((selection,)))

"""Query plan nodes: what the executor runs.

QueryPlan(node) where node is one of
  Fetch       one request to one subgraph (a root operation, or `_entities` when `requires` is set)
  Flatten     run a Fetch on every object found at `path` (`orders.items.@.user`, `@` = list),
              and at `more_paths` in the same call
  Sequence    run children one after the other
  Parallel    run children concurrently
  Condition   run `if_clause` when the boolean variable is true, else `else_clause`
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import DocumentNode

from gateway.planning.selections import NormalizedOperation, Selection


@dataclass(frozen=True)
class KeyRename:
    """Rename `alias` to `response_key` in a fetch's answer, in every object found at `path`
    (response keys as the subgraph answers them, lists walked through; for an entity fetch, from
    each entity). The planner aliases fields the subgraph would refuse to merge
    (`gateway.planning.aliasing`)."""

    path: tuple[str, ...]
    alias: str
    response_key: str


@dataclass(frozen=True)
class Fetch:
    """One request to one subgraph."""

    service: str
    #: the GraphQL document sent, compact (`query($representations:[_Any!]!){_entities(...)...}`)
    operation_text: str
    operation_kind: str
    operation_name: str | None
    #: what the fetch selects: root fields, or `... on Type {}` fragments for `_entities`
    selections: tuple[Selection, ...]
    #: for entity fetches, the `... on Type { __typename <key> }` that make a representation
    requires: tuple[Selection, ...] | None
    #: client variables the operation uses (their definitions are in `operation_text`)
    variable_usages: tuple[str, ...]
    #: keys of the answer to rename before merging it, deepest first (aliased conflicting fields)
    renames: tuple[KeyRename, ...] = ()

    @property
    def is_entity_fetch(self) -> bool:
        """Whether this fetch takes representations and queries `_entities`."""
        return self.requires is not None


@dataclass(frozen=True)
class Flatten:
    """Run `node` for the objects at `path` of the response so far."""

    path: tuple[str, ...]
    node: Fetch
    #: further paths the fetch runs for in the same call (same-step entity fetches merged by
    #: the planner's `merge_siblings` pass: the executor sends one call per Flatten)
    more_paths: tuple[tuple[str, ...], ...] = ()

    @property
    def paths(self) -> tuple[tuple[str, ...], ...]:
        """Every path the fetch runs for, `path` first."""
        return (self.path, *self.more_paths)


@dataclass(frozen=True)
class Sequence:
    """Children run in order; each sees the data merged by the ones before."""

    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True)
class Parallel:
    """Children run concurrently; they do not depend on each other."""

    nodes: tuple[PlanNode, ...]


@dataclass(frozen=True)
class Condition:
    """Branch on a boolean variable (for `@skip`/`@include` on variables)."""

    variable: str
    if_clause: PlanNode | None
    else_clause: PlanNode | None


PlanNode = Fetch | Flatten | Sequence | Parallel | Condition


@dataclass(frozen=True)
class QueryPlan:
    """The plan of one operation, with the normalised operation the response is shaped to."""

    operation: NormalizedOperation
    node: PlanNode | None
    #: root `__schema`, `__type` and `__typename` selections, answered from the API schema
    introspection: DocumentNode | None = None

    def __str__(self) -> str:
        from gateway.planning.printer import print_plan  # the printer imports this module

        return print_plan(self)

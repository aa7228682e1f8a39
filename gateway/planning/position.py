"""Where the planner's walk is (`At`), and the type and path helpers the walk uses."""

from __future__ import annotations

from dataclasses import dataclass, replace

from graphql import (
    GraphQLCompositeType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
    is_composite_type,
    is_object_type,
)

from gateway.planning.conditions import Guard, guards_of
from gateway.planning.fetch_group import FetchGroup, SelectionBuilder
from gateway.planning.selections import Field, InlineFragment, Selection

Path = tuple[str, ...]


@dataclass(frozen=True)
class At:
    """Where the walk is: a group, the selection set being filled, its type and path."""

    group: FetchGroup
    target: SelectionBuilder
    parent: GraphQLCompositeType
    path: Path
    #: the `@provides` field set in scope here (None: none): which of this graph's `provided`
    #: query-graph edges may be followed (`Handoff.provided`)
    provided: tuple[Selection, ...] | None = None
    guards: tuple[Guard, ...] = ()
    #: the selection set being walked, to choose the graph that resolves most of it
    siblings: tuple[Selection, ...] = ()
    #: where the walk was before entering the field `via` (None at a root or entity position):
    #: the way back up to the parent entity, for re-entering it in another subgraph
    origin: At | None = None
    via: Field | None = None


def field_type(parent: GraphQLCompositeType, name: str) -> GraphQLOutputType:
    """The output type of `parent.name` (a field of an object or interface type)."""
    assert isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
    found: GraphQLOutputType = parent.fields[name].type
    return found


def list_depth(type_: GraphQLOutputType) -> int:
    """How many list levels wrap the named type (`[[A!]]!` -> 2)."""
    depth = 0
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        if isinstance(type_, GraphQLList):
            depth += 1
        type_ = type_.of_type
    return depth


def child_path(path: Path, field: Field, type_: GraphQLOutputType) -> Path:
    """The response path under `field` (`@` for each list level)."""
    return (*path, field.response_key, *("@",) * list_depth(type_))


def provided_under(
    provided: tuple[Selection, ...] | None,
    parent: GraphQLCompositeType,
    name: str,
    schema: GraphQLSchema,
) -> tuple[Selection, ...] | None:
    """The sub-selections the field set `provided` names under field `name` of `parent`, None
    when it does not name the field (the scope below a field; whether the graph answers the
    field is its query-graph edge's business: `Handoff.provided`)."""
    if provided is None:
        return None
    found: list[Selection] | None = None
    for selection in provided:
        if isinstance(selection, InlineFragment):
            if _applies(selection.type_condition, parent, schema):
                inner = provided_under(selection.selections, parent, name, schema)
                if inner is not None:
                    found = [*(found or []), *inner]
        elif selection.name == name:
            found = [*(found or []), *(selection.selections or ())]
    return tuple(found) if found is not None else None


def _applies(condition: str | None, parent: GraphQLCompositeType, schema: GraphQLSchema) -> bool:
    if condition is None or condition == parent.name:
        return True
    condition_type = schema.get_type(condition)
    return (
        is_abstract_type(condition_type)
        and is_object_type(parent)
        and schema.is_sub_type(condition_type, parent)
    )


def with_guards(at: At, selection: Selection) -> At:
    """`at` with the variable conditions of `selection` added to its guards."""
    guards = guards_of(selection.directives)
    return replace(at, guards=(*at.guards, *guards)) if guards else at


def composite(type_: GraphQLOutputType) -> GraphQLCompositeType:
    """The named composite type of a field type."""
    named = get_named_type(type_)
    assert is_composite_type(named)
    return named

"""Classify the changes between two API schemas, each with its schema coordinate.

graphql-core's `find_schema_changes` finds and classifies the changes (the rules of graphql-js's
`findBreakingChanges`: an output field may become non-null but not nullable, an argument or input
field may become nullable but not non-null, ...). It describes each change in a sentence only, so
the coordinate is read back from that sentence, by the patterns below; a test triggers every
change type so that a graphql-core release changing a sentence fails loudly.
"""

from __future__ import annotations

import re

from graphql import GraphQLSchema
from graphql.utilities import (
    BreakingChange,
    DangerousChange,
    SchemaChange,
    find_schema_changes,
)

from .model import Change, Level

# Why a breaking or dangerous change matters, appended to graphql-core's sentence.
CONSEQUENCES: dict[str, str] = {
    "TYPE_REMOVED": "operations, fragments and variables naming it fail validation",
    "TYPE_CHANGED_KIND": "fragments and variables on it may no longer validate",
    "TYPE_REMOVED_FROM_UNION": "fragments on that member inside the union fail validation",
    "VALUE_REMOVED_FROM_ENUM": "operations sending the value fail validation",
    "REQUIRED_INPUT_FIELD_ADDED": "inputs sent without it are rejected",
    "IMPLEMENTED_INTERFACE_REMOVED": "fragments on the interface no longer match the type",
    "FIELD_REMOVED": "operations using it fail validation",
    "FIELD_CHANGED_KIND": "operations may fail validation or get values they do not expect",
    "REQUIRED_ARG_ADDED": "operations without it fail validation",
    "ARG_REMOVED": "operations passing it fail validation",
    "ARG_CHANGED_KIND": "operations passing it, or their variables, may fail validation",
    "DIRECTIVE_REMOVED": "operations using it fail validation",
    "DIRECTIVE_ARG_REMOVED": "operations passing it fail validation",
    "REQUIRED_DIRECTIVE_ARG_ADDED": "operations using the directive without it fail validation",
    "DIRECTIVE_REPEATABLE_REMOVED": "operations repeating it fail validation",
    "DIRECTIVE_LOCATION_REMOVED": "operations using it there fail validation",
    "VALUE_ADDED_TO_ENUM": "clients handling every known value may not handle it",
    "TYPE_ADDED_TO_UNION": "clients handling every known member may not handle it",
    "IMPLEMENTED_INTERFACE_ADDED": "clients handling every known implementation may not handle it",
    "OPTIONAL_ARG_ADDED": "old operations still validate, but results may now depend on it",
    "OPTIONAL_INPUT_FIELD_ADDED": "old inputs still validate, but results may now depend on it",
    "ARG_DEFAULT_VALUE_CHANGE": "operations omitting the argument now get different behaviour",
    "INPUT_FIELD_DEFAULT_VALUE_CHANGE": "inputs omitting the field now get different behaviour",
}

_NAME = r"[_A-Za-z][_0-9A-Za-z]*"
_COORDINATE = rf"@?{_NAME}(?:\.{_NAME})?(?:\({_NAME}:?\))?"
# Sentences where the coordinate is not the first name, then the general shape.
_PATTERNS = (
    re.compile(rf"^{_NAME} was (?:added to|removed from) union type (?P<c>{_NAME})\.$"),
    re.compile(rf"^{_NAME} added to interfaces implemented by (?P<c>{_NAME})\.$"),
    re.compile(rf"^{_NAME} was (?:added to|removed from) (?P<c>@{_NAME})\.$"),
    re.compile(rf"^Repeatable flag was (?:added to|removed from) (?P<c>@{_NAME})\.$"),
    # graphql-core prints a directive argument's description change as `@name(name)`.
    re.compile(rf"^Description of (?P<c>@{_NAME})\b"),
    re.compile(
        r"^(?:Standard scalar |Directive |Field |Argument |Enum value "
        r"|An? (?:required|optional) (?:argument|field) "
        r"|Description of (?:field |argument |input-field |enum value )?)"
        rf"(?P<c>{_COORDINATE})"
    ),
    re.compile(
        rf"^(?P<c>{_COORDINATE}) (?:was (?:added|removed)|changed from|no longer implements"
        r"|defaultValue was removed|has changed defaultValue|added a defaultValue)\b"
    ),
)


def coordinate_of(description: str) -> str:
    """The schema coordinate a graphql-core change description is about (`Type.field(arg:)`)."""
    for pattern in _PATTERNS:
        match = pattern.match(description)
        if match:
            coordinate = match["c"]
            # Description sentences name an argument `T.f(a)`; the coordinate is `T.f(a:)`.
            if coordinate.endswith(")") and not coordinate.endswith(":)"):
                coordinate = coordinate[:-1] + ":)"
            return coordinate
    return ""


def classify(change: SchemaChange) -> Change:
    """A graphql-core change as a `Change`, with its coordinate and why it matters."""
    if isinstance(change, BreakingChange):
        level = Level.BREAKING
    elif isinstance(change, DangerousChange):
        level = Level.DANGEROUS
    else:
        level = Level.SAFE
    kind = change.type.name
    coordinate = coordinate_of(change.description)
    message = change.description
    if kind == "DESCRIPTION_CHANGED":
        # graphql-core quotes the whole new description, which may span lines (or be "None").
        removed = message.endswith('"None".')
        message = f"Description of {coordinate} {'removed' if removed else 'changed'}."
    consequence = CONSEQUENCES.get(kind)
    if consequence:
        message = f"{message.rstrip('.')}: {consequence}."
    return Change(level, kind, coordinate, " ".join(message.split()))


def graphql_core_changes(old: GraphQLSchema, new: GraphQLSchema) -> list[Change]:
    """The changes graphql-core finds, classified."""
    return [classify(change) for change in find_schema_changes(old, new)]

"""`@override`: which subgraphs no longer resolve a field, which still use it, and labels.

Follows `validateOverride` in @apollo/composition's merger. Where Apollo only hints that an
`@override` names a subgraph that does not exist or does not define the field, this composer
fails with the hint's code and message when the `from` subgraph does not exist, or defines the
type but not the field: the directive has no effect, and leaving it hides a mistake (a typo in
`from:`, or a finished migration). An `from` subgraph without the type at all only gets a hint, as
in @apollo/composition (the gateway's planner fixtures rely on that).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import IssueCollector
from .facts import SubgraphFacts
from .model import INTERFACE, Field, Subgraph

LABEL = re.compile(r"^[a-zA-Z][a-zA-Z0-9_\-:./]*$")
PERCENT = re.compile(r"^percent\((\d{1,2}(\.\d{1,8})?|100)\)$")


@dataclass
class Override:
    """Sources an @override made redundant (`unused`), that still need the field (`used`), and
    the progressive-override label of both ends of each labelled move (`labels`)."""

    unused: set[int] = field(default_factory=set)
    used: set[int] = field(default_factory=set)
    labels: dict[int, str] = field(default_factory=dict)


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
    with_override = {subgraphs[i].name for i, f in present if f.applied("override")}
    names = [s.name for s in subgraphs]
    for i, source in present:
        overrides = source.applied("override")
        if not overrides:
            continue
        name = subgraphs[i].name
        if subgraphs[i].types[source.parent].kind == INTERFACE:
            issues.add(
                "OVERRIDE_ON_INTERFACE",
                f'@override cannot be used on field "{coordinate}" on subgraph "{name}": '
                "@override is not supported on interface type fields.",
            )
            continue
        if subgraphs[i].types[source.parent].has("interfaceObject"):
            issues.add(
                "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                "@override is not yet supported on fields of @interfaceObject types: cannot be "
                f'used on field "{coordinate}" on subgraph "{name}".',
            )
            continue
        origin = overrides[0].string_arg("from") or ""
        if origin not in names:
            issues.add(
                "FROM_SUBGRAPH_DOES_NOT_EXIST",
                f'Source subgraph "{origin}" for field "{coordinate}" on subgraph "{name}" does '
                "not exist.",
            )
        elif origin == name:
            issues.add(
                "OVERRIDE_FROM_SELF_ERROR",
                f'Source and destination subgraphs "{origin}" are the same for overridden '
                f'field "{coordinate}"',
            )
        elif origin in with_override:
            issues.add(
                "OVERRIDE_SOURCE_HAS_OVERRIDE",
                f'Field "{coordinate}" on subgraph "{name}" is also marked with directive '
                f'@override in subgraph "{origin}". Only one @override directive is allowed per '
                "field.",
            )
        elif origin not in by_name:
            if _type_in(subgraphs, origin, source.parent) is None:
                continue  # as @apollo/composition: a hint only (the type is not there at all)
            issues.add(
                "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
                f'Field "{coordinate}" on subgraph "{name}" no longer exists in the from '
                "subgraph. The @override directive can be removed.",
            )
        else:
            j, overridden = by_name[origin]
            _classify(coordinate, (i, source), (j, overridden), subgraphs, facts, issues, result)
            label = overrides[0].string_arg("label")
            if label is not None:
                _label(coordinate, name, label, (i, j), issues, result)
    return result


def _type_in(subgraphs: list[Subgraph], name: str, type_name: str) -> object | None:
    for subgraph in subgraphs:
        if subgraph.name == name:
            return subgraph.type(type_name)
    return None


def _classify(
    coordinate: str,
    overriding: tuple[int, Field],
    overridden: tuple[int, Field],
    subgraphs: list[Subgraph],
    facts: list[SubgraphFacts],
    issues: IssueCollector,
    result: Override,
) -> None:
    (i, source), (j, origin_field) = overriding, overridden
    for directive in ("requires", "provides"):
        if origin_field.has(directive):
            issues.add(
                "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
                f'@override cannot be used on field "{coordinate}" on subgraph '
                f'"{subgraphs[i].name}" since "{coordinate}" on "{subgraphs[j].name}" is marked '
                f'with directive "@{directive}"',
            )
            return
    if facts[i].is_external(source):
        issues.add(
            "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
            f'@override cannot be used on field "{coordinate}" on subgraph '
            f'"{subgraphs[i].name}" since "{coordinate}" on "{subgraphs[i].name}" is marked '
            'with directive "@external"',
        )
        return
    if facts[j].is_external(origin_field):
        return
    used = (origin_field.parent, origin_field.name) in facts[j].used
    (result.used if used else result.unused).add(j)


def _label(
    coordinate: str,
    name: str,
    label: str,
    ends: tuple[int, int],
    issues: IssueCollector,
    result: Override,
) -> None:
    percent = PERCENT.match(label)
    if LABEL.match(label) or (percent and 0 <= float(percent[1]) <= 100):
        for end in ends:
            result.labels[end] = label
        return
    issues.add(
        "OVERRIDE_LABEL_INVALID",
        f'Invalid @override label "{label}" on field "{coordinate}" on subgraph "{name}": labels '
        "must start with a letter and after that may contain alphanumerics, underscores, "
        "minuses, colons, periods, or slashes. Alternatively, labels may be of the form "
        '"percent(x)" where x is a float between 0-100 inclusive.',
    )

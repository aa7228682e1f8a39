"""`@authenticated`, `@requiresScopes` and `@policy`: the access-control directives.

As @apollo/composition 2.14 composes them: subgraphs may apply them to object types, fields,
scalars and enums (not to interfaces, interface fields or `@interfaceObject` types); the
supergraph links `authenticated/v0.1`, `requiresScopes/v0.1` and `policy/v0.1` `for: SECURITY`,
and each element gets the conjunction of what its subgraphs require. An interface gets what its
implementations require, an interface field what the implementations' fields require (see
`access_sources`). Applications with different scopes or policies merge into one disjunctive
normal form (`dnf_conjunction`, a copy of `dnfConjunction` in @apollo/federation-internals).
A field with `@requires` must carry at least the requirements of the data it requires
(`check_transitive_requirements`, MISSING_TRANSITIVE_AUTH_REQUIREMENTS).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from graphql import GraphQLError, parse_value
from graphql.language import (
    FieldNode,
    InlineFragmentNode,
    ListValueNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
)

from .errors import IssueCollector
from .facts import SubgraphFacts
from .fieldsets import FieldSetError, parse_field_set
from .model import (
    ENUM,
    INPUT,
    INTERFACE,
    OBJECT,
    SCALAR,
    UNION,
    Applied,
    Element,
    Field,
    Subgraph,
)
from .supergraph import Directive, Supergraph
from .values import print_string

ACCESS_CONTROL = ("authenticated", "requiresScopes", "policy")
#: the argument each directive takes, and the federation scalar its values have
ARGUMENTS = {"requiresScopes": ("scopes", "Scope"), "policy": ("policies", "Policy")}
SPEC_URLS = {
    "authenticated": "https://specs.apollo.dev/authenticated/v0.1",
    "requiresScopes": "https://specs.apollo.dev/requiresScopes/v0.1",
    "policy": "https://specs.apollo.dev/policy/v0.1",
}
#: the spec's own scalar, as the supergraph defines it
SPEC_SCALARS = {"requiresScopes": "requiresScopes__Scope", "policy": "policy__Policy"}
LOCATIONS = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"
TYPE_LOCATIONS = {
    OBJECT: "OBJECT",
    INTERFACE: "INTERFACE",
    UNION: "UNION",
    ENUM: "ENUM",
    INPUT: "INPUT_OBJECT",
    SCALAR: "SCALAR",
}
ALLOWED_LOCATIONS = ("FIELD_DEFINITION", "OBJECT", "INTERFACE", "SCALAR", "ENUM")

Dnf = list[list[str]]


def definition(spec: str, name: str) -> str:
    """The supergraph's definition of access-control directive `spec`, named `name`."""
    if spec == "authenticated":
        return f"directive @{name} on {LOCATIONS}"
    argument, _ = ARGUMENTS[spec]
    return f"directive @{name}({argument}: [[{SPEC_SCALARS[spec]}!]!]!) on {LOCATIONS}"


def spec_link(spec: str, name: str) -> Directive:
    """The supergraph `@link` of access-control spec `spec`, importing it as `name` if renamed."""
    args = [("url", print_string(SPEC_URLS[spec])), ("for", "SECURITY")]
    if name != spec:
        args.append(("import", f'[{{name: "@{spec}", as: "@{name}"}}]'))
    return Directive("link", args)


# -- subgraph checks ----------------------------------------------------------------------


def _elements(subgraph: Subgraph) -> Iterator[tuple[Element, str, str]]:
    """(element, its directive location, its coordinate) for every element of the subgraph."""
    for type_def in subgraph.types.values():
        yield type_def, TYPE_LOCATIONS[type_def.kind], type_def.name
        for field in type_def.fields.values():
            location = "INPUT_FIELD_DEFINITION" if type_def.kind == INPUT else "FIELD_DEFINITION"
            yield field, location, field.coordinate
            for arg in field.args.values():
                yield arg, "ARGUMENT_DEFINITION", f"{field.coordinate}({arg.name}:)"
        for value in type_def.values.values():
            yield value, "ENUM_VALUE", f"{type_def.name}.{value.name}"


def _applications(element: Element, spec: str) -> list[Applied]:
    return [d for d in element.directives if d.name == spec and d.federation]


def check_access_control(subgraph: Subgraph, issues: IssueCollector) -> None:
    """Where and how a subgraph may apply the access-control directives."""
    prefix = f"[{subgraph.name}] "
    before = len(issues.issues)
    for element, location, _ in _elements(subgraph):
        for spec in ACCESS_CONTROL:
            applications = _applications(element, spec)
            if not applications:
                continue
            written = applications[0].written_name
            if location not in ALLOWED_LOCATIONS:
                issues.add(
                    "INVALID_GRAPHQL",
                    f'{prefix}Directive "@{written}" may not be used on {location}.',
                )
            elif len(applications) > 1:
                issues.add(
                    "INVALID_GRAPHQL",
                    f'{prefix}The directive "@{written}" can only be used once at this location.',
                )
            elif spec in ARGUMENTS and applications[0].arg(ARGUMENTS[spec][0]) is None:
                argument, scalar = ARGUMENTS[spec]
                issues.add(
                    "INVALID_GRAPHQL",
                    f'{prefix}Directive "@{written}" argument "{argument}" of type '
                    f'"[[{subgraph.link.type_name(scalar)}!]!]!" is required, but it was not '
                    "provided.",
                )
    if len(issues.issues) > before:
        return
    for spec in ACCESS_CONTROL:
        for type_def in subgraph.types.values():
            interface_object = type_def.kind == OBJECT and type_def.has("interfaceObject")
            candidates: list[tuple[Element, str, str]] = []
            if type_def.kind == INTERFACE or interface_object:
                kind = "interface" if type_def.kind == INTERFACE else "interface object"
                candidates.append((type_def, kind, type_def.name))
            if type_def.kind == INTERFACE:
                candidates.extend((f, "field", f.coordinate) for f in type_def.fields.values())
            for element, kind, coordinate in candidates:
                for applied in _applications(element, spec):
                    name = applied.written_name
                    issues.add(
                        "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
                        f'{prefix}Invalid use of @{name} on {kind} "{coordinate}": @{name} cannot '
                        "be applied on interfaces, interface fields and interface objects",
                    )


# -- merging ----------------------------------------------------------------------------


def dnf_of(value: ValueNode | None) -> Dnf | None:
    """`[["a", "b"], ["c"]]` as lists of strings (lists coerced as GraphQL input coercion does);
    None when some value is not a string."""
    if value is None:
        return None
    outer = value.values if isinstance(value, ListValueNode) else (value,)
    result: Dnf = []
    for item in outer:
        inner = item.values if isinstance(item, ListValueNode) else (item,)
        if not all(isinstance(v, StringValueNode) for v in inner):
            return None
        result.append([v.value for v in inner if isinstance(v, StringValueNode)])
    return result


def _js_key(value: str) -> bytes:
    """Sort key of a JavaScript string comparison (UTF-16 code units)."""
    return value.encode("utf-16-be", "surrogatepass")


def _stringify(value: list[str] | Dnf) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def dnf_conjunction(values: Sequence[Dnf]) -> Dnf:
    """The conjunction of several DNF requirements, simplified as @apollo/composition does."""
    if not values:
        return []
    copies = [[list(inner) for inner in value] or [[]] for value in values]
    filtered: list[Dnf] = []
    seen: set[str] = set()
    for value in copies:
        for inner in value:
            inner.sort(key=_js_key)
        value.sort(key=lambda inner: _js_key(_stringify(inner)))
        key = _stringify(value)
        if key not in seen:
            seen.add(key)
            filtered.append(value)
    result = filtered[0]
    for current in filtered[1:]:
        accumulator: Dnf = []
        keys: set[str] = set()
        for acc_element in result:
            for current_element in current:
                extra = [e for e in current_element if e not in acc_element]
                candidate = sorted([*acc_element, *extra], key=_js_key)
                key = _stringify(candidate)
                if key not in keys:
                    keys.add(key)
                    accumulator.append(candidate)
        result = _without_subsumed(accumulator)
    return result


def _without_subsumed(values: Dnf) -> Dnf:
    result: Dnf = []
    for candidate in sorted(values, key=len):
        entry = set(candidate)
        if not any(all(e in entry for e in kept) for kept in result):
            result.append(candidate)
    return result


def print_dnf(value: Dnf) -> str:
    """`[["a", "b"], ["c"]]`."""
    return "[" + ", ".join("[" + ", ".join(map(print_string, v)) + "]" for v in value) + "]"


def merged_arguments(spec: str, applications: Sequence[Applied]) -> list[tuple[str, str]] | None:
    """The arguments of the conjunction of different `@requiresScopes`/`@policy` applications;
    None when they cannot be read as lists of strings."""
    argument, _ = ARGUMENTS[spec]
    values = [dnf_of(a.arg(argument)) for a in applications]
    if any(v is None for v in values):
        return None
    return [(argument, print_dnf(dnf_conjunction([v for v in values if v is not None])))]


def access_sources(
    subgraphs: Sequence[Subgraph], facts: Sequence[SubgraphFacts], supergraph: Supergraph
) -> dict[tuple[str, str], list[Element]]:
    """(supergraph coordinate, spec) -> subgraph elements whose requirement it inherits.

    An interface inherits from the object types implementing it, an interface field from their
    fields (not `@external` ones); the fields of an `@interfaceObject` pass their requirements to
    the implementations' fields and to the other interfaces those implement. Within a key,
    sources come in subgraph order, then in document order, as `accessControlAdditionalSources`
    records them."""
    implementations: dict[str, list[str]] = {}
    interfaces_of: dict[str, list[str]] = {}
    for type_def in supergraph.types.values():
        if type_def.kind != OBJECT:
            continue
        for interface in type_def.interfaces:
            if interface in supergraph.types:
                implementations.setdefault(interface, []).append(type_def.name)
                interfaces_of.setdefault(type_def.name, []).append(interface)
    result: dict[tuple[str, str], list[Element]] = {}
    for subgraph, subgraph_facts in zip(subgraphs, facts, strict=True):
        for spec in ACCESS_CONTROL:
            for element, parent in _applied_in_order(subgraph, spec):
                for key in _keys(
                    subgraph, subgraph_facts, element, parent, implementations, interfaces_of
                ):
                    result.setdefault((key, spec), []).append(element)
    return result


def _applied_in_order(subgraph: Subgraph, spec: str) -> list[tuple[Element, str | None]]:
    """(element, parent type name for fields) applying `spec`, in document order."""
    found: list[tuple[int, Element, str | None]] = []
    for type_def in subgraph.types.values():
        for element, parent in [
            (type_def, None),
            *((f, type_def.name) for f in type_def.fields.values()),
        ]:
            for applied in _applications(element, spec):
                loc = applied.node.loc
                found.append((loc.start if loc else 0, element, parent))
    found.sort(key=lambda item: item[0])
    return [(element, parent) for _, element, parent in found]


def _keys(
    subgraph: Subgraph,
    facts: SubgraphFacts,
    element: Element,
    parent: str | None,
    implementations: Mapping[str, list[str]],
    interfaces_of: Mapping[str, list[str]],
) -> list[str]:
    if parent is None:
        type_def = subgraph.types[element.name]
        return list(interfaces_of.get(element.name, ())) if type_def.kind == OBJECT else []
    parent_type = subgraph.types[parent]
    assert isinstance(element, Field)
    if parent_type.kind != OBJECT or facts.is_external(element):
        return []
    if not parent_type.has("interfaceObject"):
        return [f"{i}.{element.name}" for i in interfaces_of.get(parent, ())]
    keys = []
    others: list[str] = []
    for implementation in implementations.get(parent, ()):
        keys.append(f"{implementation}.{element.name}")
        others.extend(
            i for i in interfaces_of.get(implementation, ()) if i != parent and i not in others
        )
    return keys + [f"{i}.{element.name}" for i in others]


# -- transitive requirements of @requires ------------------------------------------------


@dataclass
class Requirements:
    """What an element asks of a caller: authentication, scopes and policies (DNF)."""

    authenticated: bool = False
    scopes: Dnf | None = None
    policies: Dnf | None = None

    def satisfies(self, other: Requirements | None) -> bool:
        """Whoever meets these requirements also meets `other`."""
        if other is None:
            return True
        return (
            (self.authenticated or not other.authenticated)
            and _implies(self.scopes, other.scopes)
            and _implies(self.policies, other.policies)
        )


def _implies(first: Dnf | None, second: Dnf | None) -> bool:
    left = first or [[]]
    right = second or [[]]
    return all(
        any(len(set(a)) >= len(set(b)) and all(e in a for e in b) for b in right) for a in left
    )


class TransitiveRequirements:
    """Checks that fields with `@requires` carry the requirements of the data they require."""

    def __init__(self, supergraph: Supergraph, names: Mapping[str, str]) -> None:
        self.supergraph = supergraph
        self.names = {names[s]: s for s in ACCESS_CONTROL if s in names}

    def requirements_of(self, directives: Sequence[Directive]) -> Requirements | None:
        """The requirements the supergraph applications in `directives` state, if any."""
        found = Requirements()
        applied = False
        for directive in directives:
            spec = self.names.get(directive.name)
            if spec is None:
                continue
            applied = True
            if spec == "authenticated":
                found.authenticated = True
                continue
            args = dict(directive.args)
            try:
                value = dnf_of(parse_value(args.get(ARGUMENTS[spec][0], "[]")))
            except GraphQLError:
                value = None
            if spec == "requiresScopes":
                found.scopes = value
            else:
                found.policies = value
        return found if applied else None

    def check(
        self, subgraphs: Sequence[Subgraph], graphs: Sequence[str], issues: IssueCollector
    ) -> None:
        """Report every `@requires` whose selection needs more than its field declares."""
        coordinates: list[tuple[str, str]] = []
        for subgraph in subgraphs:
            for subgraph_type in subgraph.types.values():
                for subgraph_field in subgraph_type.fields.values():
                    coordinate = (subgraph_type.name, subgraph_field.name)
                    if subgraph_field.has("requires") and coordinate not in coordinates:
                        coordinates.append(coordinate)
        by_graph = dict(zip(graphs, (s.name for s in subgraphs), strict=True))
        for type_name, field_name in coordinates:
            type_def = self.supergraph.types.get(type_name)
            field = type_def.fields.get(field_name) if type_def else None
            if type_def is None or field is None:
                continue
            required = _combine(
                self.requirements_of(type_def.directives), self.requirements_of(field.directives)
            )
            for join in (d for d in field.directives if d.name == "join__field"):
                args = dict(join.args)
                if "requires" not in args:
                    continue
                try:
                    selection = parse_field_set(json.loads(args["requires"]))
                except FieldSetError:
                    continue
                problem = self._first_problem(
                    f"{type_name}.{field_name}", required, type_name, selection
                )
                if problem is not None:
                    graph = args.get("graph")
                    prefix = f"[{by_graph[graph]}] " if graph in by_graph else ""
                    issues.add("MISSING_TRANSITIVE_AUTH_REQUIREMENTS", prefix + problem)

    def _first_problem(
        self, coordinate: str, required: Requirements, parent: str, selection: SelectionSetNode
    ) -> str | None:
        start = (
            f'Field "{coordinate}" does not specify necessary @authenticated, @requiresScopes '
            "and/or @policy auth requirements to access the transitive"
        )
        for node in selection.selections:
            if isinstance(node, FieldNode):
                type_def = self.supergraph.types.get(parent)
                field = type_def.fields.get(node.name.value) if type_def else None
                if field is None:
                    continue
                returned = self.supergraph.types.get(field.type.base)
                if not required.satisfies(self.requirements_of(field.directives)) or (
                    returned is not None
                    and not required.satisfies(self.requirements_of(returned.directives))
                ):
                    return (
                        f'{start} field "{parent}.{field.name}" data from @requires selection set.'
                    )
                if node.selection_set is not None:
                    found = self._first_problem(
                        coordinate, required, field.type.base, node.selection_set
                    )
                    if found is not None:
                        return found
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition.name.value if node.type_condition else None
                if condition is not None:
                    condition_type = self.supergraph.types.get(condition)
                    if condition_type is not None and not required.satisfies(
                        self.requirements_of(condition_type.directives)
                    ):
                        return (
                            f'{start} data in inline fragment type condition "{condition}" from '
                            "@requires selection set."
                        )
                found = self._first_problem(
                    coordinate, required, condition or parent, node.selection_set
                )
                if found is not None:
                    return found
        return None


def _combine(
    type_requirements: Requirements | None, field_requirements: Requirements | None
) -> Requirements:
    """What a field with `@requires` declares: its type's requirements and its own."""
    result = Requirements()
    parts = [r for r in (type_requirements, field_requirements) if r is not None]
    result.authenticated = any(r.authenticated for r in parts)
    scopes = [r.scopes for r in parts if r.scopes is not None]
    policies = [r.policies for r in parts if r.policies is not None]
    result.scopes = dnf_conjunction(scopes) if scopes else None
    result.policies = dnf_conjunction(policies) if policies else None
    return result

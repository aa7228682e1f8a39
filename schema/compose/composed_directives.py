"""`@composeDirective`: custom directives a subgraph asks to keep in the supergraph.

Follows @apollo/composition's `ComposeDirectiveManager`: the directive must come from a `@link`ed
spec that is not a federation one, be named the same wherever it is composed, and the supergraph
gets that spec's `@link` (newest version used) and the directive's definition from a subgraph
using that version. Applications are kept only from subgraphs that compose the directive.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from graphql import print_ast
from graphql.language import DirectiveDefinitionNode

from .errors import IssueCollector
from .links import FeatureLink
from .model import Element, Subgraph
from .supergraph import Directive
from .values import print_description, print_string, print_value

DISALLOWED_IDENTITIES = tuple(
    f"https://specs.apollo.dev/{name}"
    for name in (
        "core",
        "join",
        "link",
        "tag",
        "inaccessible",
        "federation",
        "authenticated",
        "requiresScopes",
        "source",
        "context",
        "cost",
    )
)


@dataclass
class _Item:
    subgraph: int
    feature: FeatureLink
    spec_name: str  # the directive's name in its spec
    name: str  # the directive's name in the subgraph (and the supergraph)


@dataclass
class ComposedDirectives:
    """What composed directives add to the supergraph."""

    links: list[Directive] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)


def compose_directives(subgraphs: Sequence[Subgraph], issues: IssueCollector) -> ComposedDirectives:
    """Check @composeDirective uses, mark the applications to keep, and return links/definitions."""
    items: list[_Item] = []
    for index, subgraph in enumerate(subgraphs):
        for applied in subgraph.schema_directives:
            if applied.name == "composeDirective":
                item = _item(index, subgraph, applied.string_arg("name"), issues)
                if item is not None:
                    items.append(item)
    by_name: dict[str, list[_Item]] = {}
    for item in items:
        by_name.setdefault(item.name, []).append(item)
    result = ComposedDirectives()
    for name, same_name in by_name.items():
        if len({i.spec_name for i in same_name}) > 1:
            issues.add(
                "DIRECTIVE_COMPOSITION_ERROR",
                f'Composed directive "@{name}" does not refer to the same directive in every '
                "subgraph",
            )
            continue
        if len({i.feature.identity for i in same_name}) > 1:
            issues.add(
                "DIRECTIVE_COMPOSITION_ERROR",
                f'Composed directive "@{name}" is not linked by the same core feature in every '
                "subgraph",
            )
            continue
        for item in same_name:
            _mark(subgraphs[item.subgraph], name)
        latest = max(same_name, key=lambda i: (i.feature.version or (0, 0), -i.subgraph))
        definition = subgraphs[latest.subgraph].directive_definitions[name]
        result.definitions[name] = _print_definition(definition)
        result.links.append(_link(latest))
    return result


def _item(
    index: int, subgraph: Subgraph, argument: str | None, issues: IssueCollector
) -> _Item | None:
    where = f'in subgraph "{subgraph.name}"'
    if not argument:
        issues.add(
            "DIRECTIVE_COMPOSITION_ERROR",
            f"Argument to @composeDirective {where} cannot be NULL or an empty String",
        )
        return None
    if not argument.startswith("@"):
        issues.add(
            "DIRECTIVE_COMPOSITION_ERROR",
            f'Argument to @composeDirective "{argument}" {where} must have a leading "@"',
        )
        return None
    name = argument[1:]
    if name in subgraph.link.canonical_directives():
        issues.add(
            "DIRECTIVE_COMPOSITION_ERROR",
            f'Composing federation directive "{argument}" {where} is not supported',
        )
        return None
    if name not in subgraph.directive_definitions:
        issues.add(
            "DIRECTIVE_COMPOSITION_ERROR",
            f"Could not find matching directive definition for argument to @composeDirective "
            f'"{argument}" {where}.',
        )
        return None
    for feature in subgraph.feature_links:
        spec_name = feature.spec_name_of(name)
        if spec_name is None:
            continue
        if feature.identity in DISALLOWED_IDENTITIES:
            issues.add(
                "DIRECTIVE_COMPOSITION_ERROR",
                f'Composing federation directive "{argument}" {where} is not supported',
            )
            return None
        return _Item(index, feature, spec_name, name)
    issues.add(
        "DIRECTIVE_COMPOSITION_ERROR",
        f'Directive "{argument}" {where} cannot be composed because it is not a member of a core '
        "feature",
    )
    return None


def _mark(subgraph: Subgraph, name: str) -> None:
    elements: list[Element] = []
    for type_def in subgraph.types.values():
        elements.append(type_def)
        elements.extend(type_def.values.values())
        for field_def in type_def.fields.values():
            elements.append(field_def)
            elements.extend(field_def.args.values())
    for element in elements:
        for applied in element.directives:
            if applied.name == name and not applied.federation:
                applied.composed = True


def _link(item: _Item) -> Directive:
    if item.name == item.spec_name:
        imported = print_string("@" + item.name)
    else:
        imported = f'{{name: "@{item.spec_name}", as: "@{item.name}"}}'
    return Directive("link", [("url", print_string(item.feature.url)), ("import", f"[{imported}]")])


def _print_definition(node: DirectiveDefinitionNode) -> str:
    args = []
    for arg in node.arguments or ():
        default = f" = {print_value(arg.default_value)}" if arg.default_value else ""
        args.append(f"{arg.name.value}: {print_ast(arg.type)}{default}")
    printed_args = f"({', '.join(args)})" if args else ""
    repeatable = " repeatable" if node.repeatable else ""
    description = print_description(node.description.value) if node.description else ""
    locations = " | ".join(loc.value for loc in node.locations)
    return f"{description}directive @{node.name.value}{printed_args}{repeatable} on {locations}"

"""Directive definitions that reach the supergraph: executable directives defined everywhere.

@apollo/composition keeps an executable directive (one usable in operations) only when every
subgraph defines it, with the locations all subgraphs share and the arguments all of them have.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphql import print_ast
from graphql.language import DirectiveDefinitionNode

from .model import Subgraph
from .values import print_description, print_value

EXECUTABLE_LOCATIONS = {
    "QUERY",
    "MUTATION",
    "SUBSCRIPTION",
    "FIELD",
    "FRAGMENT_DEFINITION",
    "FRAGMENT_SPREAD",
    "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION",
}


def executable_directive_definitions(subgraphs: Sequence[Subgraph]) -> dict[str, str]:
    """Printed definitions of the executable directives every subgraph defines."""
    names: list[str] = []
    for subgraph in subgraphs:
        names.extend(n for n in subgraph.directive_definitions if n not in names)
    result: dict[str, str] = {}
    for name in names:
        sources = [s.directive_definitions.get(name) for s in subgraphs]
        if not any(_locations(s) for s in sources if s is not None):
            continue
        present = [s for s in sources if s is not None]
        if len(present) < len(sources):
            continue
        locations = _locations(present[0])
        for source in present[1:]:
            locations = [loc for loc in locations if loc in _locations(source)]
        if locations:
            result[name] = _print(name, present, locations)
    return result


def _locations(node: DirectiveDefinitionNode) -> list[str]:
    return sorted(loc.value for loc in node.locations if loc.value in EXECUTABLE_LOCATIONS)


def _print(name: str, sources: list[DirectiveDefinitionNode], locations: list[str]) -> str:
    first = sources[0]
    args = []
    for arg in first.arguments or ():
        if all(any(a.name.value == arg.name.value for a in s.arguments or ()) for s in sources):
            default = f" = {print_value(arg.default_value)}" if arg.default_value else ""
            args.append(f"{arg.name.value}: {print_ast(arg.type)}{default}")
    printed_args = f"({', '.join(args)})" if args else ""
    repeatable = " repeatable" if all(s.repeatable for s in sources) else ""
    description = print_description(first.description.value) if first.description else ""
    return f"{description}directive @{name}{printed_args}{repeatable} on {' | '.join(locations)}"

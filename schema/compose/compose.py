"""`compose()`: subgraph SDLs in, supergraph SDL out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import specs
from .access_control import ACCESS_CONTROL, SPEC_SCALARS, TransitiveRequirements, spec_link
from .access_control import definition as access_definition
from .composed_directives import compose_directives
from .directive_definitions import executable_directive_definitions
from .errors import IssueCollector
from .merge import Merger
from .printer import print_supergraph
from .satisfiability import Satisfiability
from .subgraph import parse_subgraph
from .upgrade import upgrade_subgraphs


@dataclass(frozen=True)
class SubgraphSource:
    """One subgraph to compose: its name, routing URL and SDL text."""

    name: str
    url: str
    sdl: str


SubgraphInput = SubgraphSource | tuple[str, str, str]


def compose(subgraphs: Iterable[SubgraphInput]) -> str:
    """Compose Federation 1 or 2 subgraphs into supergraph SDL (CompositionError if invalid)."""
    sources = [s if isinstance(s, SubgraphSource) else SubgraphSource(*s) for s in subgraphs]
    issues = IssueCollector()
    _check_names(sources, issues)
    issues.raise_if_any()
    parsed = []
    for source in sorted(sources, key=lambda s: s.name):
        subgraph = parse_subgraph(source.name, source.url, source.sdl, issues)
        if subgraph is not None:
            parsed.append(subgraph)
    issues.raise_if_any()
    parsed = upgrade_subgraphs(parsed, issues)
    issues.raise_if_any()
    graph_values = specs.graph_enum_values([s.name for s in parsed])
    graphs = [graph_values[s.name] for s in parsed]
    composed = compose_directives(parsed, issues)
    merger = Merger(parsed, graphs, issues)
    supergraph = merger.merge()
    issues.raise_if_any()
    if merger.applied.access_specs:
        TransitiveRequirements(supergraph, merger.applied.names).check(parsed, graphs, issues)
        issues.raise_if_any()
    inaccessible = merger.applied.names.get("inaccessible")
    Satisfiability(supergraph, parsed, merger.facts, inaccessible).check(issues)
    issues.raise_if_any()
    version = specs.join_version(max(s.link.version for s in parsed))
    supergraph.links = specs.link_directives(version)
    supergraph.directive_definitions = specs.join_directive_definitions(version)
    supergraph.directive_definitions.update(executable_directive_definitions(parsed))
    supergraph.spec_types = specs.spec_types(
        version, [(graphs[i], s.name, s.url) for i, s in enumerate(parsed)]
    )
    for spec in merger.applied.spec_order:
        name = merger.applied.names[spec]
        if spec in ACCESS_CONTROL:
            supergraph.links.append(spec_link(spec, name))
            supergraph.directive_definitions[name] = access_definition(spec, name)
            if spec in SPEC_SCALARS:
                supergraph.spec_types[SPEC_SCALARS[spec]] = f"scalar {SPEC_SCALARS[spec]}"
        else:
            supergraph.links.append(specs.feature_link(spec, name))
            supergraph.directive_definitions[name] = specs.feature_definition(spec, name)
    supergraph.links.extend(composed.links)
    supergraph.directive_definitions.update(composed.definitions)
    return print_supergraph(supergraph)


def _check_names(sources: list[SubgraphSource], issues: IssueCollector) -> None:
    seen: set[str] = set()
    if not sources:
        issues.add("NO_QUERIES", "No subgraphs to compose.")
    for source in sources:
        if source.name in seen:
            issues.add("INVALID_SUBGRAPH_NAME", f'A subgraph named "{source.name}" already exists')
        if source.name == "_":
            issues.add(
                "INVALID_SUBGRAPH_NAME",
                f"[{source.name}] Invalid name _ for a subgraph: this name is reserved",
            )
        seen.add(source.name)

"""Merging applied directives that survive composition (@tag, @inaccessible, @deprecated, ...)."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import IssueCollector, subgraph_list
from .model import Applied, Element, Subgraph
from .supergraph import Directive, Node
from .values import print_value

MERGED_BUILTINS = ("deprecated", "specifiedBy", "oneOf")
REPEATABLE = ("tag",)
COMPOSED_SPECS = ("tag", "inaccessible")  # federation directives copied into the supergraph


def to_directive(applied: Applied, name: str) -> Directive:
    """A supergraph application named `name` with the subgraph application's arguments."""
    return Directive(
        name, [(a.name.value, print_value(a.value)) for a in applied.node.arguments or ()]
    )


class AppliedDirectiveMerger:
    """Decides supergraph names for composed directives and merges their applications."""

    def __init__(self, subgraphs: Sequence[Subgraph], issues: IssueCollector) -> None:
        self.subgraphs = subgraphs
        self.names: dict[str, str] = {}  # spec name (tag, inaccessible) -> name in supergraph
        self.pending: list[tuple[list[Element | None], Node]] = []
        self._resolve_names(issues)

    def _resolve_names(self, issues: IssueCollector) -> None:
        used: dict[str, dict[str, list[str]]] = {}
        for subgraph in self.subgraphs:
            for spec in COMPOSED_SPECS:
                if _uses(subgraph, spec):
                    written = subgraph.link.directive_name(spec)
                    used.setdefault(spec, {}).setdefault(written, []).append(subgraph.name)
        for spec, by_name in used.items():
            names = list(by_name)
            self.names[spec] = names[0]
            if len(names) > 1:
                first, other = names[0], names[1]
                issues.add(
                    "LINK_IMPORT_NAME_MISMATCH",
                    f'The "@{spec}" directive (from https://specs.apollo.dev/federation/v2.x) is '
                    f"imported with mismatched name between subgraphs: it is imported as "
                    f'"@{first}" in {subgraph_list(by_name[first])} but "@{other}" in '
                    f"{subgraph_list(by_name[other])}",
                )

    def merge_inaccessible_now(self, sources: list[Element | None], dest: Node) -> None:
        """Apply @inaccessible at once (it precedes join directives) and queue the others."""
        self._merge("inaccessible", sources, dest)
        self.pending.append((sources, dest))

    def flush(self) -> None:
        """Apply every queued directive, in the order they were queued."""
        for sources, dest in self.pending:
            names: list[str] = []
            for source in sources:
                for applied in source.directives if source else ():
                    mergeable = self._is_merged(applied) and applied.name != "inaccessible"
                    if mergeable and applied.name not in names:
                        names.append(applied.name)
            for name in names:
                self._merge(name, sources, dest)
        self.pending = []

    def _is_merged(self, applied: Applied) -> bool:
        if applied.federation:
            return applied.name in COMPOSED_SPECS
        return applied.composed or applied.name in MERGED_BUILTINS

    def _merge(self, name: str, sources: list[Element | None], dest: Node) -> None:
        per_source = [
            [d for d in source.directives if d.name == name and self._is_merged(d)]
            for source in sources
            if source is not None
        ]
        applications = [apps for apps in per_source if apps]
        if not applications:
            return
        supergraph_name = self.names.get(name, name)
        candidates = [to_directive(a, supergraph_name) for apps in applications for a in apps]
        if name in REPEATABLE:
            for directive in candidates:
                if all(existing.key != directive.key for existing in dest.directives):
                    dest.directives.append(directive)
            return
        distinct: list[Directive] = []
        counts: list[int] = []
        for directive in candidates:
            keys = [d.key for d in distinct]
            if directive.key in keys:
                counts[keys.index(directive.key)] += 1
            else:
                distinct.append(directive)
                counts.append(1)
        dest.directives.append(distinct[counts.index(max(counts))])


def _uses(subgraph: Subgraph, spec: str) -> bool:
    """True when the subgraph applies federation directive `spec` anywhere."""
    for type_def in subgraph.types.values():
        elements: list[Element] = [type_def, *type_def.values.values()]
        for field in type_def.fields.values():
            elements.append(field)
            elements.extend(field.args.values())
        if any(e.has(spec) for e in elements):
            return True
    return any(d.name == spec for d in subgraph.schema_directives)

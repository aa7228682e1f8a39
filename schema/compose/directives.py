"""Merging applied directives that survive composition (@tag, @inaccessible, @deprecated, the
access-control directives, ...)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .access_control import ACCESS_CONTROL, ARGUMENTS, access_sources, merged_arguments
from .errors import IssueCollector, join_distribution, subgraph_list
from .facts import SubgraphFacts
from .links import FEDERATION_DIRECTIVES
from .model import Applied, Element, Subgraph
from .supergraph import Directive, Node, Supergraph
from .values import print_value

MERGED_BUILTINS = ("deprecated", "specifiedBy", "oneOf")
REPEATABLE = ("tag",)
# Federation directives copied into the supergraph.
COMPOSED_SPECS = ("tag", "inaccessible", *ACCESS_CONTROL)


def to_directive(applied: Applied, name: str) -> Directive:
    """A supergraph application named `name` with the subgraph application's arguments."""
    return Directive(
        name, [(a.name.value, print_value(a.value)) for a in applied.node.arguments or ()]
    )


@dataclass
class _Pending:
    """Applications to merge onto `dest` once every type is merged."""

    sources: list[Element | None]
    dest: Node
    #: the supergraph coordinate of an interface or an output field, whose access-control
    #: directives also come from other elements (`access_sources`); None otherwise
    access_coordinate: str | None = None


class AppliedDirectiveMerger:
    """Decides supergraph names for composed directives and merges their applications."""

    def __init__(self, subgraphs: Sequence[Subgraph], issues: IssueCollector) -> None:
        self.subgraphs = subgraphs
        self.names: dict[str, str] = {}  # spec name (tag, inaccessible, ...) -> supergraph name
        #: composed federation specs in the order the supergraph links them
        self.spec_order: list[str] = []
        self.pending: list[_Pending] = []
        self._access: dict[tuple[str, str], list[Element]] = {}
        self._resolve_names(issues)

    @property
    def access_specs(self) -> list[str]:
        """The access-control specs the supergraph links, in link order."""
        return [s for s in self.spec_order if s in ACCESS_CONTROL and s in self.names]

    def _resolve_names(self, issues: IssueCollector) -> None:
        """Names and link order, as `collectCoreDirectivesToCompose` and
        `validateCoreDirectiveInfo` find them: subgraph by subgraph, directives the SDL defines
        first (in its order), then the others in the federation spec's order."""
        used = [{spec for spec in COMPOSED_SPECS if _uses(s, spec)} for s in self.subgraphs]
        for subgraph, in_subgraph in zip(self.subgraphs, used, strict=True):
            defined = [s for s in subgraph.defined_federation_directives if s in in_subgraph]
            rest = [s for s in FEDERATION_DIRECTIVES if s in in_subgraph and s not in defined]
            self.spec_order.extend(s for s in [*defined, *rest] if s not in self.spec_order)
        for spec in self.spec_order:
            by_name: dict[str, list[str]] = {}
            versions: list[tuple[int, int]] = []
            for subgraph, in_subgraph in zip(self.subgraphs, used, strict=True):
                if spec in in_subgraph:
                    written = subgraph.link.directive_name(spec)
                    by_name.setdefault(written, []).append(subgraph.name)
                    versions.append(subgraph.link.version)
            names = list(by_name)
            if len(names) > 1:
                # The mismatch is noticed at the second name; it is reported first.
                ordered = [names[1], *(n for n in names if n != names[1])]
                parts = [f'"@{n}" in {subgraph_list(by_name[n])}' for n in ordered]
                major, minor = max(versions)
                issues.add(
                    "LINK_IMPORT_NAME_MISMATCH",
                    f'The "@{spec}" directive (from https://specs.apollo.dev/federation/'
                    f"v{major}.{minor}) is imported with mismatched name between subgraphs: it "
                    f"is imported as {join_distribution(parts)}",
                )
                return
            self.names[spec] = names[0]

    def merge_inaccessible_now(
        self, sources: list[Element | None], dest: Node, access_coordinate: str | None = None
    ) -> None:
        """Apply @inaccessible at once (it precedes join directives) and queue the others.
        `access_coordinate`: given for interfaces and output fields (see `_Pending`)."""
        self._merge("inaccessible", sources, dest)
        self.pending.append(_Pending(sources, dest, access_coordinate))

    def flush(
        self, supergraph: Supergraph | None = None, facts: Sequence[SubgraphFacts] = ()
    ) -> None:
        """Apply every queued directive, in the order they were queued."""
        if supergraph is not None and self.access_specs:
            self._access = access_sources(self.subgraphs, facts, supergraph)
        for pending in self.pending:
            names: list[str] = []
            for source in pending.sources:
                for applied in source.directives if source else ():
                    mergeable = self._is_merged(applied) and applied.name != "inaccessible"
                    if mergeable and applied.name not in names:
                        names.append(applied.name)
            if pending.access_coordinate is not None:
                for spec in self.access_specs:
                    extra = self.access_sources(pending.access_coordinate, spec)
                    if spec in names or extra:
                        self._merge(spec, [*pending.sources, *extra], pending.dest)
                    if spec in names:
                        names.remove(spec)
            for name in names:
                self._merge(name, pending.sources, pending.dest)
        self.pending = []

    def access_sources(self, coordinate: str, spec: str) -> list[Element]:
        """Elements whose `spec` requirement the supergraph element `coordinate` inherits."""
        return self._access.get((coordinate, spec), [])

    def merge_access_control(self, coordinate: str, dest: Node) -> None:
        """Merge onto `dest` only what it inherits (a field copied from an @interfaceObject)."""
        for spec in self.access_specs:
            extra = self.access_sources(coordinate, spec)
            if extra:
                self._merge(spec, list(extra), dest)

    def _is_merged(self, applied: Applied) -> bool:
        if applied.federation:
            return applied.name in COMPOSED_SPECS
        return applied.composed or applied.name in MERGED_BUILTINS

    def _merge(self, name: str, sources: Sequence[Element | None], dest: Node) -> None:
        per_source = [
            [d for d in source.directives if d.name == name and self._is_merged(d)]
            for source in sources
            if source is not None
        ]
        applications = [apps for apps in per_source if apps]
        if not applications:
            return
        supergraph_name = self.names.get(name, name)
        candidates = [(a, to_directive(a, supergraph_name)) for apps in applications for a in apps]
        if name in REPEATABLE:
            for _, directive in candidates:
                if all(existing.key != directive.key for existing in dest.directives):
                    dest.directives.append(directive)
            return
        distinct: list[tuple[Applied, Directive]] = []
        counts: list[int] = []
        for applied, directive in candidates:
            keys = [d.key for _, d in distinct]
            if directive.key in keys:
                counts[keys.index(directive.key)] += 1
            else:
                distinct.append((applied, directive))
                counts.append(1)
        if len(distinct) > 1 and name in ARGUMENTS:
            merged = merged_arguments(name, [a for a, _ in distinct])
            if merged is not None:
                dest.directives.append(Directive(supergraph_name, merged))
                return
        dest.directives.append(distinct[counts.index(max(counts))][1])


def _uses(subgraph: Subgraph, spec: str) -> bool:
    """True when the subgraph applies federation directive `spec` anywhere."""
    for type_def in subgraph.types.values():
        elements: list[Element] = [type_def, *type_def.values.values()]
        for field in type_def.fields.values():
            elements.append(field)
            elements.extend(field.args.values())
        if any(d.name == spec and d.federation for e in elements for d in e.directives):
            return True
    return any(d.name == spec and d.federation for d in subgraph.schema_directives)

"""Merge parsed subgraphs into the supergraph model."""

from __future__ import annotations

from .descriptions import merge_description
from .directives import AppliedDirectiveMerger
from .errors import IssueCollector, join_distribution
from .facts import SubgraphFacts
from .fields import FieldMerger, Sources
from .interface_object import (
    INTERFACE_OBJECT_LABEL,
    abstracting_fields,
    add_interface_object_fields,
    check_no_implementations,
    effective_kind,
    kind_label,
)
from .model import ENUM, INPUT, INTERFACE, OBJECT, SCALAR, UNION, Element, Subgraph
from .model import TypeDef as SubgraphType
from .supergraph import Arg, Directive, FieldDef, Node, Supergraph, TypeDef
from .values import print_string, print_value

MERGE_ORDER = (SCALAR, INPUT, INTERFACE, OBJECT, ENUM)


class Merger:
    """Builds the supergraph from subgraphs sorted by name."""

    def __init__(self, subgraphs: list[Subgraph], graphs: list[str], issues: IssueCollector):
        self.subgraphs = subgraphs
        self.graphs = graphs
        self.issues = issues
        self.facts = [SubgraphFacts(s, issues) for s in subgraphs]
        self.applied = AppliedDirectiveMerger(subgraphs, issues)
        self.supergraph = Supergraph()
        self.fields = FieldMerger(
            subgraphs, self.facts, graphs, issues, self.applied, self._is_direct_subtype
        )

    def merge(self) -> Supergraph:
        """Run every merge step; issues are left in the collector."""
        self._add_types()
        types = self.supergraph.types
        for type_def in types.values():
            if type_def.kind in (OBJECT, INTERFACE):
                self._merge_implements(type_def)
        for type_def in [t for t in types.values() if t.kind == UNION]:
            self._merge_type(type_def)
        self._merge_roots()
        for kind in MERGE_ORDER:
            for type_def in [t for t in types.values() if t.kind == kind]:
                self._merge_type(type_def)
        self.applied.flush(self.supergraph, self.facts)
        add_interface_object_fields(self.supergraph, self.subgraphs, self.facts, self.applied)
        for name in [n for n, t in types.items() if t.kind == OBJECT and not t.fields]:
            del types[name]
        return self.supergraph

    def sources(self, name: str, kind: str) -> list[tuple[int, SubgraphType]]:
        """The subgraph definitions of type `name` with the supergraph's kind."""
        result = []
        for index, subgraph in enumerate(self.subgraphs):
            type_def = subgraph.type(name)
            if type_def is not None and effective_kind(type_def) == kind:
                result.append((index, type_def))
        return result

    def _add_types(self) -> None:
        kinds: dict[str, dict[str, list[int]]] = {}
        labels: dict[str, dict[str, list[int]]] = {}
        for index, subgraph in enumerate(self.subgraphs):
            for type_def in subgraph.types.values():
                kind = effective_kind(type_def)
                kinds.setdefault(type_def.name, {}).setdefault(kind, []).append(index)
                label = kind_label(type_def)
                labels.setdefault(type_def.name, {}).setdefault(label, []).append(index)
        for name, by_kind in kinds.items():
            self.supergraph.types[name] = TypeDef(name, kind=next(iter(by_kind)))
            if len(by_kind) == 1 and set(labels[name]) == {INTERFACE_OBJECT_LABEL}:
                self.issues.add(
                    "INTERFACE_OBJECT_USAGE_ERROR",
                    f'Type "{name}" is declared with @interfaceObject in all the subgraphs in '
                    f"which it is defined (it is defined in {self.fields.names(by_kind[INTERFACE])}"
                    " but should be defined as an interface in at least one subgraph)",
                )
            if len(by_kind) > 1:
                parts = [
                    f"{label} in {self.fields.names(indexes)}"
                    for label, indexes in labels[name].items()
                ]
                self.issues.add(
                    "TYPE_KIND_MISMATCH",
                    f'Type "{name}" has mismatched kind: it is defined as '
                    + join_distribution(parts),
                )

    def _merge_implements(self, dest: TypeDef) -> None:
        for index, source in self.sources(dest.name, dest.kind):
            for interface in source.interfaces:
                dest.directives.append(
                    Directive(
                        "join__implements",
                        [("graph", self.graphs[index]), ("interface", print_string(interface))],
                    )
                )
                if interface not in dest.interfaces:
                    dest.interfaces.append(interface)

    def _merge_roots(self) -> None:
        for operation in ("query", "mutation", "subscription"):
            if any(operation in s.roots for s in self.subgraphs):
                self.supergraph.roots[operation] = operation.capitalize()
        if "query" not in self.supergraph.roots:
            self.issues.add(
                "NO_QUERIES",
                "No queries found in any subgraph: a supergraph must have a query root type.",
            )

    def _merge_type(self, dest: TypeDef) -> None:
        sources = self.sources(dest.name, dest.kind)
        self._check_extension_with_no_base(dest, sources)
        elements: list[Element | None] = [s for _, s in sources]
        dest.description = merge_description(elements)
        self._add_join_types(dest, sources)
        inherits = dest.name if dest.kind == INTERFACE else None
        self.applied.merge_inaccessible_now(elements, dest, inherits)
        if dest.kind == INTERFACE:
            check_no_implementations(dest, sources, self.subgraphs, self.supergraph, self.issues)
        if dest.kind in (OBJECT, INTERFACE):
            self._merge_fields(dest, sources)
        elif dest.kind == UNION:
            self._merge_union(dest, sources)
        elif dest.kind == ENUM:
            self._merge_enum(dest, sources)
        elif dest.kind == INPUT:
            self._merge_input(dest, sources)

    def _check_extension_with_no_base(
        self, dest: TypeDef, sources: list[tuple[int, SubgraphType]]
    ) -> None:
        if dest.name in self.supergraph.roots.values():
            return
        if any(s.has_definition for _, s in sources):
            return
        for index, _ in sources:
            self.issues.add(
                "EXTENSION_WITH_NO_BASE",
                f'[{self.subgraphs[index].name}] Type "{dest.name}" is an extension type, but '
                f'there is no type definition for "{dest.name}" in any subgraph.',
            )

    def _add_join_types(self, dest: TypeDef, sources: list[tuple[int, SubgraphType]]) -> None:
        for index, source in sources:
            keys = source.applied("key")
            if not keys:
                args = [("graph", self.graphs[index])]
                if source.has("interfaceObject"):
                    args.append(("isInterfaceObject", "true"))
                dest.directives.append(Directive("join__type", args))
            for key in keys:
                args = [("graph", self.graphs[index])]
                if (fields := key.arg("fields")) is not None:
                    args.append(("key", print_value(fields)))
                if key.block > 0 or source.has("extends"):
                    args.append(("extension", "true"))
                if (resolvable := key.arg("resolvable")) is not None:
                    args.append(("resolvable", print_value(resolvable)))
                if source.has("interfaceObject"):
                    args.append(("isInterfaceObject", "true"))
                dest.directives.append(Directive("join__type", args))

    def _merge_fields(self, dest: TypeDef, sources: list[tuple[int, SubgraphType]]) -> None:
        names: list[str] = []
        for _, source in sources:
            names.extend(n for n in source.fields if n not in names)
        for name in names:
            field_sources: Sources = [(i, s.fields.get(name)) for i, s in sources]
            dest_field = dest.fields[name] = FieldDef(name)
            abstracting = abstracting_fields(self.subgraphs, self.supergraph, dest.name, name)
            self.fields.merge_output_field(
                f"{dest.name}.{name}",
                field_sources,
                dest_field,
                check_sharing=dest.kind == OBJECT,
                abstracting=abstracting,
            )

    def _merge_union(self, dest: TypeDef, sources: list[tuple[int, SubgraphType]]) -> None:
        for _, source in sources:
            dest.members.extend(m for m in source.members if m not in dest.members)
        for member in dest.members:
            for index, source in sources:
                if member in source.members:
                    args = [("graph", self.graphs[index]), ("member", print_string(member))]
                    dest.directives.append(Directive("join__unionMember", args))

    def _merge_enum(self, dest: TypeDef, sources: list[tuple[int, SubgraphType]]) -> None:
        usage = self.fields.enum_usages.get(dest.name, {"Output"})
        names: list[str] = []
        for _, source in sources:
            names.extend(v for v in source.values if v not in names)
        for name in names:
            value_sources = [(i, s.values.get(name)) for i, s in sources]
            value = dest.values[name] = Node(name)
            elements: list[Element | None] = [v for _, v in value_sources]
            value.description = merge_description(elements)
            self.applied.merge_inaccessible_now(elements, value)
            for index, source_value in value_sources:
                if source_value is not None:
                    value.directives.append(
                        Directive("join__enumValue", [("graph", self.graphs[index])])
                    )
            missing = [i for i, v in value_sources if v is None]
            inaccessible = any(
                d.name == self.applied.names.get("inaccessible") for d in value.directives
            )
            if not missing or inaccessible or usage == {"Output"}:
                continue
            if usage == {"Input"}:
                del dest.values[name]
                continue
            examples = self.fields.enum_examples[dest.name]
            defined = [i for i, v in value_sources if v is not None]
            self.issues.add(
                "ENUM_VALUE_MISMATCH",
                f'Enum type "{dest.name}" is used as both input type (for example, as type of '
                f'"{examples["Input"]}") and output type (for example, as type of '
                f'"{examples["Output"]}"), but value "{name}" is not defined in all the subgraphs '
                f'defining "{dest.name}": "{name}" is defined in {self.fields.names(defined)} but '
                f"not in {self.fields.names(missing)}",
            )
        if not dest.values:
            self.issues.add(
                "EMPTY_MERGED_ENUM_TYPE",
                f'None of the values of enum type "{dest.name}" are defined consistently in all '
                "the subgraphs defining that type. As only values common to all subgraphs are "
                "merged, this would result in an empty type.",
            )

    def _merge_input(self, dest: TypeDef, sources: list[tuple[int, SubgraphType]]) -> None:
        names: list[str] = []
        for _, source in sources:
            names.extend(n for n in source.fields if n not in names)
        for name in names:
            coordinate = f"{dest.name}.{name}"
            field_sources = [(i, s.fields.get(name)) for i, s in sources]
            present = [(i, f) for i, f in field_sources if f is not None]
            missing = [i for i, f in field_sources if f is None]
            dest_field = FieldDef(name)
            elements: list[Element | None] = [f for _, f in present]
            dest_field.description = merge_description(elements)
            self.applied.merge_inaccessible_now(elements, dest_field)
            holder = Arg(name)
            same = self.fields.merge_type(coordinate, present, holder, "field", input_position=True)
            dest_field.type = holder.type
            if not same or missing:
                for index, field_source in present:
                    args = [("graph", self.graphs[index])]
                    if not same:
                        args.append(("type", print_string(str(field_source.type))))
                    dest_field.directives.append(Directive("join__field", args))
            dest_field.default = self.fields.merge_default(coordinate, present, "Input field")
            inaccessible = any(
                d.name == self.applied.names.get("inaccessible") for d in dest_field.directives
            )
            if missing and not inaccessible:
                required = [i for i, f in present if f.type.non_null and f.default is None]
                if required:
                    self.issues.add(
                        "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
                        f'Input object field "{coordinate}" is required in some subgraphs but does '
                        f"not appear in all subgraphs: it is required in "
                        f"{self.fields.names(required)} but does not appear in "
                        f"{self.fields.names(missing)}",
                    )
                continue
            dest.fields[name] = dest_field
        if not dest.fields:
            self.issues.add(
                "EMPTY_MERGED_INPUT_TYPE",
                f'None of the fields of input object type "{dest.name}" are consistently defined '
                "in all the subgraphs defining that type. As only fields common to all subgraphs "
                "are merged, this would result in an empty type.",
            )

    def _is_direct_subtype(self, parent: str, candidate: str) -> bool:
        parent_type = self.supergraph.types.get(parent)
        candidate_type = self.supergraph.types.get(candidate)
        if parent_type is None or candidate_type is None:
            return False
        if parent_type.kind == INTERFACE:
            return parent in candidate_type.interfaces
        return parent_type.kind == UNION and candidate in parent_type.members

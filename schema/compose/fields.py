"""Merging one field across subgraphs: arguments, types, @join__field and sharing rules."""

from __future__ import annotations

from collections.abc import Callable

from .descriptions import merge_description
from .directives import AppliedDirectiveMerger
from .errors import IssueCollector, join_distribution, subgraph_labels, subgraph_list
from .facts import SubgraphFacts
from .model import Argument, Element, Field, Subgraph
from .override import Override, resolve_override
from .supergraph import Arg, Directive, FieldDef
from .typeref import TypeRef, is_strict_subtype
from .values import print_string, print_value, value_key

# One entry per subgraph defining the parent type: (index, field or None when absent).
Sources = list[tuple[int, Field | None]]


class FieldMerger:
    """Merges fields, recording enum usages for the enum merge that runs last."""

    def __init__(
        self,
        subgraphs: list[Subgraph],
        facts: list[SubgraphFacts],
        graphs: list[str],
        issues: IssueCollector,
        applied: AppliedDirectiveMerger,
        is_direct_subtype: Callable[[str, str], bool],
    ) -> None:
        self.subgraphs = subgraphs
        self.facts = facts
        self.graphs = graphs
        self.issues = issues
        self.applied = applied
        self.direct = is_direct_subtype
        self.enum_usages: dict[str, set[str]] = {}
        self.enum_examples: dict[str, dict[str, str]] = {}

    def names(self, indexes: list[int]) -> str:
        """`subgraph "a"` / `subgraphs "a" and "b"` for source indexes."""
        return subgraph_list([self.subgraphs[i].name for i in indexes])

    # -- output fields -----------------------------------------------------------------

    def merge_output_field(
        self,
        coordinate: str,
        sources: Sources,
        dest: FieldDef,
        check_sharing: bool,
        abstracting: list[tuple[int, Field]] | None = None,
    ) -> None:
        """Merge an object or interface field and add its @join__field applications."""
        present = [(i, f) for i, f in sources if f is not None]
        external = {i for i, f in present if self.facts[i].is_external(f)}
        if len(external) == len(present):
            self.issues.add(
                "EXTERNAL_MISSING_ON_BASE",
                f'Field "{coordinate}" is marked @external on all the subgraphs in which it is '
                f"listed ({self.names([i for i, _ in present])}).",
            )
            return
        resolving = [(i, f) for i, f in present if i not in external]
        elements: list[Element | None] = [f for _, f in resolving]
        dest.description = merge_description(elements)
        self.applied.merge_inaccessible_now(elements, dest, coordinate)
        self._merge_arguments(coordinate, resolving, dest)
        same = self.merge_type(coordinate, resolving, dest, "field", input_position=False)
        if external:
            self._check_external_types(coordinate, present, external, dest, same)
        override = resolve_override(coordinate, present, self.subgraphs, self.facts, self.issues)
        if self._needs_join_field(sources, external, same, override):
            self._add_join_fields(present, external, same, override, dest)
        if check_sharing:
            self._check_sharing(coordinate, present, override, abstracting or [])

    def _merge_arguments(
        self, coordinate: str, sources: list[tuple[int, Field]], dest: FieldDef
    ) -> None:
        names: list[str] = []
        for _, source in sources:
            names.extend(n for n in source.args if n not in names)
        for name in names:
            args = [(i, f.args.get(name)) for i, f in sources]
            arg_coordinate = f"{coordinate}({name}:)"
            missing = [i for i, a in args if a is None]
            if missing:
                required = [i for i, a in args if a is not None and _required(a)]
                if required:
                    self.issues.add(
                        "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
                        f'Argument "{arg_coordinate}" is required in some subgraphs but does not '
                        f"appear in all subgraphs: it is required in "
                        f"{self.names(required)} but does not appear in {self.names(missing)}",
                    )
                continue
            present = [(i, a) for i, a in args if a is not None]
            dest_arg = dest.args[name] = Arg(name)
            elements: list[Element | None] = [a for _, a in present]
            dest_arg.description = merge_description(elements)
            self.applied.merge_inaccessible_now(elements, dest_arg)
            self.merge_type(arg_coordinate, present, dest_arg, "argument", input_position=True)
            dest_arg.default = self.merge_default(arg_coordinate, present, "Argument")

    # -- shared with input fields ------------------------------------------------------

    def merge_type(
        self,
        coordinate: str,
        sources: list[tuple[int, Field]] | list[tuple[int, Argument]],
        dest: FieldDef | Arg,
        element: str,
        input_position: bool,
    ) -> bool:
        """Pick the supergraph type; report incompatible types. True when all types are equal."""
        dest_type: TypeRef | None = None
        subtypes = incompatible = False
        for _, source in sources:
            if dest_type is None or dest_type == source.type:
                dest_type = source.type
            elif is_strict_subtype(dest_type, source.type, self.direct):
                subtypes = True
                dest_type = source.type if input_position else dest_type
            elif is_strict_subtype(source.type, dest_type, self.direct):
                subtypes = True
                dest_type = dest_type if input_position else source.type
            else:
                incompatible = True
        assert dest_type is not None
        dest.type = dest_type
        position = "Input" if input_position else "Output"
        self.enum_usages.setdefault(dest_type.base, set()).add(position)
        examples = self.enum_examples.setdefault(dest_type.base, {})
        examples.setdefault(position, coordinate)
        if incompatible:
            self.issues.add(
                "ARGUMENT_TYPE_MISMATCH" if element == "argument" else "FIELD_TYPE_MISMATCH",
                f'Type of {element} "{coordinate}" is incompatible across subgraphs: it has '
                + self._distribution(sources, dest_type, lambda t: f'type "{t}"'),
            )
            return False
        return not subtypes

    def merge_default(
        self,
        coordinate: str,
        sources: list[tuple[int, Argument]] | list[tuple[int, Field]],
        kind: str,
    ) -> str | None:
        """The merged default value; report defaults that differ."""
        defaults = [value_key(s.default) for _, s in sources]
        given = [d for d in defaults if d is not None]
        if len(set(given)) > 1:
            code = (
                "ARGUMENT_DEFAULT_MISMATCH"
                if kind == "Argument"
                else "INPUT_FIELD_DEFAULT_MISMATCH"
            )
            parts: dict[str, list[int]] = {}
            for (i, _), default in zip(sources, defaults, strict=True):
                label = f"default value {default}" if default is not None else "no default value"
                parts.setdefault(label, []).append(i)
            self.issues.add(
                code,
                f'{kind} "{coordinate}" has incompatible default values across subgraphs: it has '
                + join_distribution([f"{k} in {self.names(v)}" for k, v in parts.items()]),
            )
            return given[0]
        if given and len(given) == len(defaults):
            return given[0]
        return None

    def _distribution(
        self,
        sources: list[tuple[int, Field]] | list[tuple[int, Argument]],
        first: TypeRef,
        label: Callable[[TypeRef], str],
    ) -> str:
        groups: dict[str, list[int]] = {label(first): []}
        for i, source in sources:
            groups.setdefault(label(source.type), []).append(i)
        return join_distribution([f"{k} in {self.names(v)}" for k, v in groups.items() if v])

    # -- @external, @override, @join__field, sharing -------------------------------------

    def _check_external_types(
        self,
        coordinate: str,
        present: list[tuple[int, Field]],
        external: set[int],
        dest: FieldDef,
        same: bool,
    ) -> None:
        for i, source in present:
            if (
                i in external
                and dest.type != source.type
                and (same or not is_strict_subtype(dest.type, source.type, self.direct))
            ):
                self.issues.add(
                    "EXTERNAL_TYPE_MISMATCH",
                    f'Type of field "{coordinate}" is incompatible across subgraphs (where marked '
                    f"@external): it has "
                    + self._distribution(present, dest.type, lambda t: f'type "{t}"'),
                )
                return

    def _needs_join_field(
        self, sources: Sources, external: set[int], same: bool, override: Override
    ) -> bool:
        if not same or override.used or override.labels:
            return True
        for i, source in sources:
            if source is None or i in override.unused:
                return True
            if i in external or source.has("provides") or source.has("requires"):
                return True
        return False

    def _add_join_fields(
        self,
        present: list[tuple[int, Field]],
        external: set[int],
        same: bool,
        override: Override,
        dest: FieldDef,
    ) -> None:
        for i, source in present:
            if i in override.unused and i not in override.labels:
                continue
            args: list[tuple[str, str]] = [("graph", self.graphs[i])]
            for name in ("requires", "provides"):
                applied = source.applied(name)
                if applied and (value := applied[0].arg("fields")) is not None:
                    args.append((name, print_value(value)))
            overrides = source.applied("override")
            if overrides and (origin := overrides[-1].string_arg("from")) is not None:
                args.append(("override", print_string(origin)))
            if not same:
                args.append(("type", print_string(str(source.type))))
            if i in external:
                args.append(("external", "true"))
            if i in override.used:
                args.append(("usedOverridden", "true"))
            if i in override.labels:
                args.append(("overrideLabel", print_string(override.labels[i])))
            dest.directives.append(Directive("join__field", args))

    def _check_sharing(
        self,
        coordinate: str,
        present: list[tuple[int, Field]],
        override: Override,
        abstracting: list[tuple[int, Field]],
    ) -> None:
        shareable: list[tuple[int, str]] = []
        non_shareable: list[tuple[int, str]] = []
        entries = [(i, f'"{self.subgraphs[i].name}"', f) for i, f in present]
        entries += [
            (i, f'"{self.subgraphs[i].name}" (through @interfaceObject field "{f.coordinate}")', f)
            for i, f in abstracting
        ]
        for i, label, source in sorted(entries, key=lambda e: e[0]):
            if (
                i in override.used
                or i in override.unused
                or self.facts[i].is_fully_external(source)
            ):
                continue
            (shareable if self.facts[i].is_shareable(source) else non_shareable).append((i, label))
        if non_shareable and (shareable or len(non_shareable) > 1):
            resolving = sorted(shareable + non_shareable)
            where = subgraph_labels([x for _, x in non_shareable]) if shareable else "all of them"
            self.issues.add(
                "INVALID_FIELD_SHARING",
                f'Non-shareable field "{coordinate}" is resolved from multiple subgraphs: it is '
                f"resolved from {subgraph_labels([x for _, x in resolving])} and defined as "
                f"non-shareable in {where}",
            )


def _required(arg: Argument) -> bool:
    return arg.type.non_null and arg.default is None

"""`@interfaceObject`: a subgraph that sees an interface as an object type.

Such a type merges into the interface (`@join__type(..., isInterfaceObject: true)`), and the
fields it adds are copied onto every implementation with a bare `@join__field`, as
`addMissingInterfaceObjectFieldsToImplementations` does in @apollo/composition.
"""

from __future__ import annotations

from collections.abc import Sequence

from .directives import AppliedDirectiveMerger
from .errors import IssueCollector
from .facts import SubgraphFacts
from .model import INTERFACE, KIND_LABELS, OBJECT, Field, Subgraph
from .model import TypeDef as SubgraphType
from .supergraph import Arg, Directive, FieldDef, Supergraph, TypeDef

INTERFACE_OBJECT_LABEL = "Interface Object Type (Object Type with @interfaceObject)"


def is_interface_object(type_def: SubgraphType) -> bool:
    """An object type marked @interfaceObject."""
    return type_def.kind == OBJECT and type_def.has("interfaceObject")


def effective_kind(type_def: SubgraphType) -> str:
    """The supergraph kind a subgraph type merges into."""
    return INTERFACE if is_interface_object(type_def) else type_def.kind


def kind_label(type_def: SubgraphType) -> str:
    """How kind mismatches name the kind of a subgraph type."""
    return INTERFACE_OBJECT_LABEL if is_interface_object(type_def) else KIND_LABELS[type_def.kind]


def abstracting_fields(
    subgraphs: Sequence[Subgraph], supergraph: Supergraph, type_name: str, field_name: str
) -> list[tuple[int, Field]]:
    """Fields of @interfaceObject types that stand for `type_name.field_name` in subgraphs
    that do not define `type_name` itself."""
    parent = supergraph.types.get(type_name)
    if parent is None or parent.kind != OBJECT:
        return []
    result = []
    for index, subgraph in enumerate(subgraphs):
        if subgraph.type(type_name) is not None:
            continue
        for interface in parent.interfaces:
            type_def = subgraph.type(interface)
            if type_def is None or not is_interface_object(type_def):
                continue
            if (field := type_def.fields.get(field_name)) is not None:
                result.append((index, field))
    return result


def check_no_implementations(
    dest: TypeDef,
    sources: list[tuple[int, SubgraphType]],
    subgraphs: Sequence[Subgraph],
    supergraph: Supergraph,
    issues: IssueCollector,
) -> None:
    """A subgraph with an @interfaceObject must not define the interface's implementations."""
    implementations = [
        t.name for t in supergraph.types.values() if t.kind == OBJECT and dest.name in t.interfaces
    ]
    for index, source in sources:
        if not is_interface_object(source):
            continue
        defined = [n for n in implementations if subgraphs[index].type(n) is not None]
        if defined:
            label = "type" if len(defined) == 1 else "types"
            names = _human_list([f'"{n}"' for n in defined])
            name = subgraphs[index].name
            issues.add(
                "INTERFACE_OBJECT_USAGE_ERROR",
                f'[{name}] Interface type "{dest.name}" is defined as an @interfaceObject in '
                f'subgraph "{name}" so that subgraph should not define any of the implementation '
                f'types of "{dest.name}", but it defines {label} {names}',
            )


def _human_list(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def add_interface_object_fields(
    supergraph: Supergraph,
    subgraphs: Sequence[Subgraph],
    facts: Sequence[SubgraphFacts],
    applied: AppliedDirectiveMerger,
) -> None:
    """Copy fields that @interfaceObject types add to an interface onto its implementations.
    Access-control directives are not copied: the copy gets what the @interfaceObject fields
    require (`copyNonJoinAppliedDirectives`)."""
    for type_def in [t for t in supergraph.types.values() if t.kind == OBJECT]:
        for interface_name in type_def.interfaces:
            interface = supergraph.types.get(interface_name)
            if interface is None:
                continue
            for field in interface.fields.values():
                if field.name in type_def.fields:
                    continue
                if _provided_by_interface_object(subgraphs, facts, interface_name, field.name):
                    copied = FieldDef(field.name)
                    applied.merge_access_control(f"{type_def.name}.{field.name}", copied)
                    access = {applied.names[s] for s in applied.access_specs}
                    type_def.fields[field.name] = _copy(field, copied.directives, access)


def _provided_by_interface_object(
    subgraphs: Sequence[Subgraph],
    facts: Sequence[SubgraphFacts],
    interface: str,
    field_name: str,
) -> bool:
    for subgraph, subgraph_facts in zip(subgraphs, facts, strict=True):
        type_def = subgraph.type(interface)
        if type_def is None or not is_interface_object(type_def):
            continue
        field = type_def.fields.get(field_name)
        if field is not None and not subgraph_facts.is_external(field):
            return True
    return False


def _copy(field: FieldDef, inherited: list[Directive], access: set[str]) -> FieldDef:
    directives = inherited + [
        d for d in field.directives if not d.name.startswith("join__") and d.name not in access
    ]
    args = {
        name: Arg(
            name,
            arg.description,
            [d for d in arg.directives if not d.name.startswith("join__")],
            arg.type,
            arg.default,
        )
        for name, arg in field.args.items()
    }
    return FieldDef(
        field.name,
        field.description,
        [*directives, Directive("join__field")],
        field.type,
        args,
    )

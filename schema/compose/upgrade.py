"""Upgrade Federation 1 subgraphs to Federation 2, as @apollo/composition's schema upgrader does.

A subgraph without a federation `@link` is Federation 1: `extend type` means "defined elsewhere",
`@external` on extension keys means nothing, unused `@external` fields are tolerated, and every
field may be resolved by several subgraphs. The upgrade rewrites it into an equivalent
Federation 2 subgraph (v2.4) before merging: see `SchemaUpgrader.upgrade()` in
@apollo/federation-internals, whose steps `upgrade_subgraphs` runs in the same order.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from graphql.language import ConstArgumentNode, ConstDirectiveNode, NameNode, StringValueNode

from .errors import IssueCollector
from .facts import SubgraphFacts
from .fieldsets import FieldSetError, resolve_field_set
from .model import INTERFACE, OBJECT, Applied, Field, Subgraph, TypeDef
from .upgrade_fieldsets import external_only_field_set


class _Original:
    """What the upgrader asks about a subgraph as it was given (before any upgrade)."""

    def __init__(self, subgraph: Subgraph) -> None:
        self.subgraph = copy.deepcopy(subgraph)
        self.facts = SubgraphFacts(self.subgraph, IssueCollector())

    def composite(self, name: str) -> TypeDef | None:
        type_def = self.subgraph.type(name)
        return type_def if type_def is not None and type_def.kind in (OBJECT, INTERFACE) else None


def upgrade_subgraphs(subgraphs: Sequence[Subgraph], issues: IssueCollector) -> list[Subgraph]:
    """The subgraphs with every Federation 1 subgraph upgraded; failed upgrades are dropped."""
    if all(not s.link.fed1 for s in subgraphs):
        return list(subgraphs)
    originals = [_Original(s) for s in subgraphs]
    result = []
    for index, subgraph in enumerate(subgraphs):
        if not subgraph.link.fed1:
            result.append(subgraph)
            continue
        others = [o for i, o in enumerate(originals) if i != index]
        before = len(issues.issues)
        _Upgrader(subgraph, originals[index], others, issues).upgrade()
        if len(issues.issues) == before:
            result.append(subgraph)
    return result


def _is_type_extension(type_def: TypeDef) -> bool:
    extends = type_def.has("extends")
    return (
        (type_def.has_extension or extends)
        and type_def.kind in (OBJECT, INTERFACE)
        and (extends or not type_def.has_definition)
    )


def _drop(element: TypeDef | Field, name: str) -> None:
    element.directives = [d for d in element.directives if d.name != name]


class _Upgrader:
    def __init__(
        self,
        subgraph: Subgraph,
        original: _Original,
        others: list[_Original],
        issues: IssueCollector,
    ) -> None:
        self.subgraph = subgraph
        self.original = original
        self.others = others
        self.issues = issues

    def upgrade(self) -> None:
        self._check_extensions_with_no_base()
        types = list(self.subgraph.types.values())
        composite = [t for t in types if t.kind in (OBJECT, INTERFACE)]
        for type_def in composite:
            if type_def.kind == INTERFACE:
                for field in type_def.fields.values():
                    _drop(field, "external")
            else:
                _drop(type_def, "external")
        for type_def in composite:
            if _is_type_extension(type_def) or self._is_root_extension(type_def):
                self._remove_external_on_extension_keys(type_def)
        self._remove_inactive_provides_and_requires(composite)
        for type_def in composite:
            if _is_type_extension(type_def) or self._is_root_extension(type_def):
                _remove_extension(type_def)
        for type_def in composite:
            if type_def.kind == INTERFACE:
                _drop(type_def, "key")
                for field in type_def.fields.values():
                    _drop(field, "provides")
                    _drop(field, "requires")
            else:
                for field in type_def.fields.values():
                    returned = self.subgraph.type(field.type.base)
                    if returned is None or returned.kind in ("enum", "scalar", "input"):
                        _drop(field, "provides")
        self._remove_unused_externals(composite)
        self._add_shareable()

    def _is_root_extension(self, type_def: TypeDef) -> bool:
        is_root = type_def.name in self.subgraph.roots.values()
        return (
            type_def.kind == OBJECT
            and is_root
            and (
                type_def.has("extends") or (type_def.has_extension and not type_def.has_definition)
            )
        )

    def _check_extensions_with_no_base(self) -> None:
        for type_def in self.subgraph.types.values():
            if self._is_root_extension(type_def) or not _is_type_extension(type_def):
                continue
            if any(
                (other := o.composite(type_def.name)) is not None and other.has_definition
                for o in self.others
            ):
                continue
            self.issues.add(
                "EXTENSION_WITH_NO_BASE",
                f'[{self.subgraph.name}] Type "{type_def.name}" is an extension type, but there '
                f'is no type definition for "{type_def.name}" in any subgraph.',
            )

    def _key_fields(self, subgraph: Subgraph, type_def: TypeDef, key: Applied) -> list[Field]:
        try:
            fields = resolve_field_set(subgraph, type_def.name, key.string_arg("fields") or "")
        except FieldSetError:
            return []
        return [f for f in fields if f.parent == type_def.name]

    def _remove_external_on_extension_keys(self, type_def: TypeDef) -> None:
        keys = type_def.applied("key")
        for key in keys:
            for field in self._key_fields(self.subgraph, type_def, key):
                _drop(field, "external")
        if keys:
            return
        for other in self.others:
            other_type = other.composite(type_def.name)
            if other_type is None or not other_type.applied("key"):
                continue
            for field in self._key_fields(other.subgraph, other_type, other_type.applied("key")[0]):
                if (own := type_def.fields.get(field.name)) is not None:
                    _drop(own, "external")

    def _remove_inactive_provides_and_requires(self, composite: list[TypeDef]) -> None:
        for type_def in composite:
            for field in type_def.fields.values():
                for name, parent in (("provides", field.type.base), ("requires", type_def.name)):
                    kept: list[Applied] = []
                    for applied in field.directives:
                        if applied.name != name:
                            kept.append(applied)
                            continue
                        updated = external_only_field_set(
                            self.subgraph, parent, applied.string_arg("fields")
                        )
                        if updated is None:
                            kept.append(applied)
                        elif updated:
                            kept.append(_with_fields(applied, updated))
                    field.directives = kept

    def _remove_unused_externals(self, composite: list[TypeDef]) -> None:
        facts = SubgraphFacts(self.subgraph, IssueCollector())
        for type_def in composite:
            for field in list(type_def.fields.values()):
                if facts.is_external(field) and (type_def.name, field.name) not in facts.used:
                    del type_def.fields[field.name]
            if not type_def.fields and type_def.name != self.subgraph.roots.get("query"):
                if self._is_referenced(type_def.name):
                    self.issues.add(
                        "TYPE_WITH_ONLY_UNUSED_EXTERNAL",
                        f"[{self.subgraph.name}] Type {type_def.name} contains only external "
                        "fields and all those fields are all unused (they do not appear in any "
                        "@key, @provides or @requires).",
                    )
                else:
                    del self.subgraph.types[type_def.name]

    def _is_referenced(self, name: str) -> bool:
        for type_def in self.subgraph.types.values():
            if name in type_def.interfaces or name in type_def.members:
                return True
            for field in type_def.fields.values():
                if field.type.base == name or any(a.type.base == name for a in field.args.values()):
                    return True
        return False

    def _add_shareable(self) -> None:
        for type_def in self.subgraph.types.values():
            if type_def.kind != OBJECT or type_def.name == self.subgraph.roots.get("subscription"):
                continue
            others = [o for o in self.others if o.subgraph.type(type_def.name) is not None]
            others = [
                o for o in others if o.subgraph.types[type_def.name].kind in (OBJECT, INTERFACE)
            ]
            if type_def.has("key") or type_def.name in self.subgraph.roots.values():
                for field in type_def.fields.values():
                    original = self.original.subgraph.field(type_def.name, field.name)
                    if original is not None and self.original.facts.is_shareable(original):
                        continue
                    resolved_elsewhere = any(
                        _resolves(o, type_def.name, field.name) for o in others
                    )
                    if resolved_elsewhere and not field.has("shareable"):
                        field.directives.append(_synthetic("shareable"))
            elif others and not type_def.has("shareable"):
                type_def.directives.append(_synthetic("shareable"))


def _resolves(other: _Original, type_name: str, field_name: str) -> bool:
    field = other.subgraph.field(type_name, field_name)
    if field is None:
        return False
    return not other.facts.is_external(field) or (type_name, field_name) in other.facts.provided


def _remove_extension(type_def: TypeDef) -> None:
    type_def.has_extension = False
    type_def.has_definition = True
    for applied in type_def.directives:
        applied.block = 0
    for element in (*type_def.fields.values(), *type_def.values.values()):
        element.block = 0
    for field in type_def.fields.values():
        for applied in field.directives:
            applied.block = 0


def _synthetic(name: str) -> Applied:
    return Applied(
        name, ConstDirectiveNode(name=NameNode(value=name), arguments=()), federation=True
    )


def _with_fields(applied: Applied, fields: str) -> Applied:
    argument = ConstArgumentNode(name=NameNode(value="fields"), value=StringValueNode(value=fields))
    node = ConstDirectiveNode(name=applied.node.name, arguments=(argument,))
    return Applied(applied.name, node, applied.block, applied.federation)

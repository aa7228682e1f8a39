"""Per-subgraph federation facts (keys, external, provided, shareable) and field-set checks."""

from __future__ import annotations

from graphql import print_ast

from .errors import IssueCollector
from .fieldsets import FieldSetError, leaf_fields, parse_field_set, resolve_field_set
from .model import INTERFACE, OBJECT, UNION, Applied, Field, Subgraph, TypeDef

Coordinate = tuple[str, str]


class SubgraphFacts:
    """What federation directives say about one subgraph's fields."""

    def __init__(self, subgraph: Subgraph, issues: IssueCollector) -> None:
        self.subgraph = subgraph
        self.issues = issues
        self.key_fields: set[Coordinate] = set()
        self.fake_external: set[Coordinate] = set()
        self.provided: set[Coordinate] = set()
        self.used: set[Coordinate] = set()
        self._check_keys()
        self._check_requires_and_provides()
        self._collect_interface_implementations()
        self._check_externals_used()

    # -- questions asked by the merger -------------------------------------------------

    def is_entity(self, type_def: TypeDef) -> bool:
        """True when the type has at least one @key."""
        return type_def.has("key")

    def is_external(self, field: Field) -> bool:
        """Marked @external (on the field or its type), not counting extension key fields."""
        type_def = self.subgraph.types[field.parent]
        marked = field.has("external") or type_def.has("external")
        return marked and (field.parent, field.name) not in self.fake_external

    def is_fully_external(self, field: Field) -> bool:
        """External and not resolved here under any @provides."""
        return self.is_external(field) and (field.parent, field.name) not in self.provided

    def is_shareable(self, field: Field) -> bool:
        """Key fields, @shareable fields, fields of @shareable blocks and provided externals."""
        coordinate = (field.parent, field.name)
        if coordinate in self.key_fields or field.has("shareable"):
            return True
        type_def = self.subgraph.types[field.parent]
        if any(d.block == field.block for d in type_def.applied("shareable")):
            return True
        return coordinate in self.provided and self.is_external(field)

    # -- validation ------------------------------------------------------------------

    def _check_keys(self) -> None:
        for type_def in self.subgraph.types.values():
            for key in type_def.applied("key"):
                if type_def.kind not in (OBJECT, INTERFACE):
                    continue
                targets = self._resolve(type_def.name, key, f'type "{type_def.name}"', "KEY")
                self.key_fields.update((f.parent, f.name) for f in targets)
                self.used.update((f.parent, f.name) for f in targets)
                if key.block > 0 or type_def.has("extends"):
                    self.fake_external.update(
                        (f.parent, f.name) for f in targets if f.has("external")
                    )

    def _check_requires_and_provides(self) -> None:
        for type_def in self.subgraph.types.values():
            for field in type_def.fields.values():
                target = f'field "{field.coordinate}"'
                for requires in field.applied("requires"):
                    targets = self._resolve(type_def.name, requires, target, "REQUIRES")
                    self.used.update((f.parent, f.name) for f in targets)
                for provides in field.applied("provides"):
                    returned = self.subgraph.type(field.type.base)
                    if returned is None or returned.kind not in (OBJECT, INTERFACE, UNION):
                        self.issues.add(
                            "PROVIDES_ON_NON_OBJECT_FIELD",
                            f"[{self.subgraph.name}] Invalid @provides directive on field "
                            f'"{field.coordinate}": field has type "{field.type}" which is not '
                            "a Composite Type",
                        )
                        continue
                    targets = self._resolve(returned.name, provides, target, "PROVIDES")
                    self.provided.update((f.parent, f.name) for f in targets)
                    self.used.update((f.parent, f.name) for f in targets)

    def _check_externals_used(self) -> None:
        for type_def in self.subgraph.types.values():
            if type_def.kind not in (OBJECT, INTERFACE):
                continue
            for field in type_def.fields.values():
                if self.is_external(field) and (type_def.name, field.name) not in self.used:
                    self.issues.add(
                        "EXTERNAL_UNUSED",
                        f'[{self.subgraph.name}] Field "{field.coordinate}" is marked @external '
                        "but is not used in any federation directive (@key, @provides, "
                        "@requires) or to satisfy an interface; the field declaration has no use "
                        "and should be removed (or the field should not be @external).",
                    )

    def _check_leaves_external(self, parent: str, text: str, prefix: str) -> None:
        """Leaves of @requires/@provides must be @external (unless under an external field)."""
        directive = prefix.lower()
        for leaf in leaf_fields(self.subgraph, parent, parse_field_set(text)):
            if self.is_external(leaf):
                continue
            if (leaf.parent, leaf.name) in self.fake_external:
                reason = (
                    'is already "effectively" provided by this subgraph (while it is marked '
                    "@external, it is a @key field of an extension type, which are not internally "
                    "considered external for historical/backward compatibility reasons)"
                )
            else:
                reason = "is already provided by this subgraph (it is not marked @external)"
            raise FieldSetError(
                f'field "{leaf.coordinate}" should not be part of a @{directive} since it {reason}',
                f"{prefix}_FIELDS_MISSING_EXTERNAL",
            )

    def _collect_interface_implementations(self) -> None:
        """Fields of implementations of an interface field are used (they satisfy it)."""
        for interface in self.subgraph.types.values():
            if interface.kind != INTERFACE:
                continue
            for type_def in self.subgraph.types.values():
                if interface.name in type_def.interfaces:
                    self.used.update(
                        (type_def.name, name)
                        for name in interface.fields
                        if name in type_def.fields
                    )

    def _resolve(self, parent: str, directive: Applied, target: str, prefix: str) -> list[Field]:
        """Resolve a directive's `fields:`; record an issue and return [] when invalid."""
        text = directive.string_arg("fields")
        where = f"On {target}, for {print_ast(directive.node)}"
        if text is None:
            self.issues.add(
                f"{prefix}_INVALID_FIELDS_TYPE",
                f'[{self.subgraph.name}] {where}: the "fields" argument must be a string.',
            )
            return []

        def check_key_field(field: Field) -> None:
            if prefix != "KEY":
                return
            base = self.subgraph.type(field.type.base)
            if base is not None and base.kind in (UNION, INTERFACE):
                label = "Union" if base.kind == UNION else "Interface"
                raise FieldSetError(
                    f'field "{field.coordinate}" is a {label} type which is not allowed in @key',
                    "KEY_FIELDS_SELECT_INVALID_TYPE",
                )
            if field.args:
                raise FieldSetError(
                    f"field {field.coordinate} cannot be included because it has arguments "
                    "(fields with argument are not allowed in @key)",
                    "KEY_FIELDS_HAS_ARGS",
                )

        try:
            targets = resolve_field_set(self.subgraph, parent, text, check_key_field)
            if prefix != "KEY":
                self._check_leaves_external(parent, text, prefix)
            return targets
        except FieldSetError as error:
            message = error.message
            if message.startswith("Cannot query field"):
                message = message.rstrip(".") + (
                    " (the field should either be added to this subgraph or, if it should not be "
                    "resolved by this subgraph, you need to add it to this subgraph with "
                    "@external)."
                    if prefix == "KEY"
                    else " (if the field is defined in another subgraph, you need to add it to "
                    "this subgraph with @external)."
                )
            code = error.code or f"{prefix}_INVALID_FIELDS"
            self.issues.add(code, f"[{self.subgraph.name}] {where}: {message}")
            return []

"""Satisfiability: every field reachable from a root can be fetched by some query plan.

A simplified form of @apollo/composition's `validateSatisfiability`, for the cases the gateway's
planner handles. Walking from the roots, a position is an object type at a query path and the
subgraphs the plan can be in there: every subgraph that may have returned the object (a shareable
field has several: each is an option, as Apollo's simultaneous paths are) plus those reachable by
`@key` hops whose key fields one of them resolves. A field of the type that none of those
subgraphs resolves is an error, reported with Apollo's message: the query reaching it and, from
each of those subgraphs, why each move fails. Where the check is unsure (requirements,
`@interfaceObject` positions) it assumes a plan exists.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from .errors import IssueCollector
from .facts import SubgraphFacts
from .fieldsets import FieldSetError, resolve_field_set
from .interface_object import is_interface_object
from .model import INTERFACE, OBJECT, UNION, Applied, Subgraph, TypeDef
from .supergraph import Supergraph

Path = tuple[str, ...]  # query path: field names and `... on T` conditions


class Satisfiability:
    """Walks the supergraph from its roots, recording unreachable fields."""

    def __init__(
        self,
        supergraph: Supergraph,
        subgraphs: Sequence[Subgraph],
        facts: Sequence[SubgraphFacts],
        inaccessible: str | None,
    ) -> None:
        self.supergraph = supergraph
        self.subgraphs = subgraphs
        self.facts = facts
        self.inaccessible = inaccessible

    def check(self, issues: IssueCollector) -> None:
        """Add one SATISFIABILITY_ERROR per field no plan can reach."""
        queue: deque[tuple[str, tuple[int, ...], Path]] = deque()
        seen: set[tuple[str, frozenset[int]]] = set()
        reported: set[tuple[str, str]] = set()
        for operation, root in self.supergraph.roots.items():
            for field_name in self._api_fields(root):
                resolvers = self._resolvers(root, field_name, range(len(self.subgraphs)))
                self._enqueue(queue, root, field_name, resolvers, (operation, field_name))
        while queue:
            type_name, entries, path = queue.popleft()
            reachable: list[int] = []
            for entry in entries:
                reachable += (i for i in self._reachable(type_name, entry) if i not in reachable)
            if (type_name, frozenset(reachable)) in seen:
                continue
            seen.add((type_name, frozenset(reachable)))
            for field_name in self._api_fields(type_name):
                resolvers = self._resolvers(type_name, field_name, reachable)
                if not resolvers:
                    if (type_name, field_name) not in reported:
                        reported.add((type_name, field_name))
                        issues.add(
                            "SATISFIABILITY_ERROR",
                            self._message(type_name, field_name, entries, path),
                        )
                    continue
                self._enqueue(queue, type_name, field_name, resolvers, (*path, field_name))

    # -- the walk ------------------------------------------------------------------------

    def _enqueue(
        self,
        queue: deque[tuple[str, tuple[int, ...], Path]],
        parent: str,
        field_name: str,
        indices: Sequence[int],
        path: Path,
    ) -> None:
        """The positions `parent.field_name` leads to when resolved in any of `indices`: one
        per type and query path, with every subgraph that may be there."""
        field = self.supergraph.types[parent].fields[field_name]
        target = self.supergraph.types.get(field.type.base)
        if target is None or target.kind not in (OBJECT, INTERFACE, UNION):
            return
        positions: dict[tuple[str, Path], list[int]] = {}
        for index in indices:
            local = self.subgraphs[index].type(target.name)
            if local is None or is_interface_object(local):
                continue  # unsure: an @interfaceObject position is assumed satisfiable
            if target.kind == OBJECT:
                positions.setdefault((target.name, path), []).append(index)
                continue
            for runtime in self._runtime_types(index, local):
                if self._accessible(self.supergraph.types.get(runtime)):
                    at = (runtime, (*path, f"... on {runtime}"))
                    positions.setdefault(at, []).append(index)
        for (type_name, at_path), options in positions.items():
            queue.append((type_name, tuple(options), at_path))

    def _runtime_types(self, index: int, abstract: TypeDef) -> list[str]:
        types = self.subgraphs[index].types
        if abstract.kind == UNION:
            return [m for m in abstract.members if m in types]
        return [
            t.name for t in types.values() if t.kind == OBJECT and abstract.name in t.interfaces
        ]

    def _reachable(self, type_name: str, entry: int) -> list[int]:
        reachable = [entry]
        changed = True
        while changed:
            changed = False
            for index in range(len(self.subgraphs)):
                if index not in reachable and self._usable_keys(type_name, index, reachable):
                    reachable.append(index)
                    changed = True
        return reachable

    def _keys(self, type_name: str, index: int) -> list[tuple[TypeDef, Applied]]:
        subgraph = self.subgraphs[index]
        holders = [subgraph.type(type_name)]
        supergraph_type = self.supergraph.types[type_name]
        holders += [subgraph.type(i) for i in supergraph_type.interfaces]
        return [
            (holder, key)
            for holder in holders
            if holder is not None and (holder.name == type_name or is_interface_object(holder))
            for key in holder.applied("key")
        ]

    def _usable_keys(self, type_name: str, index: int, sources: Sequence[int]) -> bool:
        for _, key in self._keys(type_name, index):
            if key.string_arg("fields") is None or _unresolvable(key):
                continue
            if any(self._key_resolvable(type_name, key, source) for source in sources):
                return True
        return False

    def _key_resolvable(self, type_name: str, key: Applied, source: int) -> bool:
        subgraph = self.subgraphs[source]
        if subgraph.type(type_name) is None:
            return False
        try:
            fields = resolve_field_set(subgraph, type_name, key.string_arg("fields") or "")
        except FieldSetError:
            return False
        return all(
            f.parent != type_name or self._resolves(source, type_name, f.name) for f in fields
        )

    def _resolves(self, index: int, type_name: str, field_name: str) -> bool:
        subgraph, facts = self.subgraphs[index], self.facts[index]
        holders = [subgraph.type(type_name)]
        holders += [subgraph.type(i) for i in self.supergraph.types[type_name].interfaces]
        for holder in holders:
            if holder is None or (holder.name != type_name and not is_interface_object(holder)):
                continue
            field = holder.fields.get(field_name)
            if field is not None and (
                not facts.is_external(field) or (holder.name, field_name) in facts.provided
            ):
                return True
        return False

    def _resolvers(
        self, type_name: str, field_name: str, among: Sequence[int] | range
    ) -> list[int]:
        return [i for i in among if self._resolves(i, type_name, field_name)]

    def _api_fields(self, type_name: str) -> list[str]:
        type_def = self.supergraph.types[type_name]
        return [n for n, f in type_def.fields.items() if self._accessible(f)]

    def _accessible(self, node: object) -> bool:
        directives = getattr(node, "directives", [])
        return node is not None and not any(d.name == self.inaccessible for d in directives)

    # -- the message ---------------------------------------------------------------------

    def _message(self, type_name: str, field_name: str, entries: Sequence[int], path: Path) -> str:
        lines = [
            "The following supergraph API query:",
            *_print_query((*path[1:], field_name), path[0]),
        ]
        lines.append("cannot be satisfied by the subgraphs because:")
        for entry in entries:
            lines.append(f'- from subgraph "{self.subgraphs[entry].name}":')
            lines.append(f'  - cannot find field "{type_name}.{field_name}".')
            for index in self._resolvers(type_name, field_name, range(len(self.subgraphs))):
                lines.extend(self._why_not(type_name, field_name, entry, index))
        return "\n".join(lines)

    def _why_not(self, type_name: str, field_name: str, entry: int, index: int) -> list[str]:
        name = self.subgraphs[index].name
        keys = self._keys(type_name, index)
        has = (
            f'cannot move to subgraph "{name}", which has field "{type_name}.{field_name}", because'
        )
        if not keys:
            return [f'  - {has} type "{type_name}" has no @key defined in subgraph "{name}".']
        if all(_unresolvable(k) for _, k in keys):
            return [
                f'  - {has} none of the @key defined on type "{type_name}" in subgraph "{name}" '
                'are resolvable (they are all declared with their "resolvable" argument set to '
                "false)."
            ]
        source = self.subgraphs[entry].name
        return [
            f'  - cannot move to subgraph "{name}" using @key(fields: "{k.string_arg("fields")}") '
            f'of "{type_name}", the key field(s) cannot be resolved from subgraph "{source}".'
            for _, k in keys
            if not _unresolvable(k)
        ]


def _unresolvable(key: Applied) -> bool:
    value = key.arg("resolvable")
    return value is not None and getattr(value, "value", True) is False


def _print_query(path: Path, operation: str) -> list[str]:
    opening = "{" if operation == "query" else f"{operation} {{"
    lines = [opening]
    for depth, segment in enumerate(path, start=1):
        last = depth == len(path)
        lines.append("  " * depth + segment + ("" if last else " {"))
    lines.extend("  " * depth + "}" for depth in range(len(path) - 1, -1, -1))
    return lines

"""Shape the merged data to the operation, as GraphQL execution would have completed it.

Exactly the fields asked for, in the order asked, under their aliases; fields the planner added
(keys, `__typename`) are dropped; `@skip`/`@include` on variables are applied; and a null in a
non-null position nulls the nearest nullable parent (https://spec.graphql.org/October2021/
#sec-Handling-Field-Errors), up to `data` itself. Fields authorization took out (`removals.py`)
are answered null here too, with their error, by the same propagation: such a null only ever
nulls what shaping without it would have kept (their errors come first, and go with the object
when something else nulls it).

Field collection is done once per selection set and runtime type, not once per object: an
`OperationShape` (compiled for one operation and one set of `@skip`/`@include` outcomes) keeps,
for each, the list of (response key, how to complete it); shaping an object then only walks
that list. Response paths are built only when a non-null error needs one.

Answers repeat objects (the same product under every review of it): an object equal to the last
one shaped under the same selection set takes that one's result, and nothing under it is shaped
again (`_shaping_lines`; a selection set where eight objects in a row were not reused stops
trying for the rest of the response). So one answer may hold the same object in several places:
nothing after shaping changes an answer in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
)
from graphql.language import DirectiveNode

from gateway.execution.removals import Removal, Removals
from gateway.planning import Field, NormalizedOperation, Selection, is_included

_MISSING = object()  # the field is absent: its fetch failed or its entity was not found
_INVALID = object()  # a non-null field is null: the parent must become null
_NULLED = object()  # a nullable field became null because a non-null child was null
_DENIED = object()  # null for a non-null field authorization took out: nulls the parent too

_INTROSPECTION = frozenset({"__schema", "__type"})
#: a memo slot that gave up (`_Shaping.seen`): equal to nothing
_OFF = object()
#: the objects in a row a memo slot shapes without a reuse before it gives up
_MISSES = 8
#: leaf types whose valid values compare in Python exactly as their JSON does
_EXACT_SCALARS = frozenset({"String", "ID", "Int", "Float", "Boolean"})

# How a field is completed (the second item of an entry).
_LEAF = 0  # a nullable scalar or enum: taken as it is
_LEAF_NON_NULL = 1
_TYPENAME = 2
_RAW = 3  # root introspection fields, answered already complete
_GENERAL = 4  # lists and composite types: walk the type chain
_NO_TYPE = 5  # `__typename` of an object with no concrete type: the object is null
_REMOVED = 6  # the stand-in of a selection authorization took out (the fourth item: a Removal)
# Links of a type chain.
_NON_NULL = 10
_LIST = 11
_COMPOSITE = 12

#: a response path as a linked list, built only on the way down through objects and lists
_LinkedPath = tuple[Any, str | int] | None
#: (response key, kind, type chain, child selection set, schema coordinate)
_Entry = tuple[str, int, tuple[int, ...], "_SelectionSet | frozenset[str] | Removal | None", str]
_Runtime = GraphQLObjectType | GraphQLInterfaceType
#: shapes one object of one runtime type: (shaping, object, path) -> the shaped object or _INVALID
_Compiled = Callable[["_Shaping", dict[str, Any], _LinkedPath], Any]
#: the runtime type name, the entries, and their compiled shaper (None: walk the entries)
_Found = tuple[str, tuple[_Entry, ...], _Compiled | None]


class _SelectionSet:
    """One selection set on one static type; its collected fields per runtime type, cached."""

    __slots__ = (
        "by_typename",
        "fixed",
        "memo_slot",
        "path",
        "selections",
        "shape",
        "static",
        "walked",
    )

    def __init__(
        self,
        shape: OperationShape,
        static: Any,
        selections: tuple[Selection, ...],
        path: tuple[str, ...] = (),
    ):
        self.shape = shape
        self.static = static
        self.selections = selections
        #: the response keys leading here (no list positions)
        self.path = path
        #: removals at or under it: shaped by the walk, never by compiled code
        self.walked = shape.removals is not None and path in shape.removals.scopes
        self.by_typename: dict[object, _Found | None] = {}
        self.fixed: _Found | None = None
        #: where shaping keeps the last object shaped here and its result (`_Shaping.seen`),
        #: when objects equal in Python shape alike here (`_equal_shapes_alike`); None when not,
        #: or when it came after the shape was built (under an abstract type: no slot left)
        self.memo_slot: int | None = None
        if not is_abstract_type(static):
            entries = self._entries(static)
            self.fixed = _found(static.name, entries, not self.walked)
            if (
                not shape.built
                and self.fixed[2] is not None
                and _equal_shapes_alike(static, entries)
            ):
                self.memo_slot = shape.memo_slots
                shape.memo_slots += 1

    def for_object(self, obj: dict[str, Any]) -> _Found | None:
        """The runtime type name and the entries of `obj`; None when its type is unknowable."""
        if self.fixed is not None:
            return self.fixed
        typename = obj.get("__typename")
        try:
            return self.by_typename[typename]
        except KeyError:
            pass
        except TypeError:  # an unhashable __typename: no type the client can know
            return None
        runtime = self._runtime_type(typename)
        found = (
            None
            if runtime is None
            else _found(runtime.name, self._entries(runtime), not self.walked)
        )
        self.by_typename[typename] = found
        return found

    def _runtime_type(self, typename: object) -> _Runtime | None:
        found = self.shape.schema.get_type(str(typename))
        if isinstance(found, GraphQLObjectType):
            return found
        static = self.static
        if isinstance(static, GraphQLInterfaceType) and found in (None, static):
            # From a graph modelling the interface as an object (`@interfaceObject`): the plan
            # asked for the real type only when the selection depends on it.
            return static
        # An object without a type the client can know (absent, or not in the API schema).
        return None

    def _entries(self, runtime: _Runtime) -> tuple[_Entry, ...]:
        entries: list[_Entry] = []
        for key, fields in self.shape.collect(self.selections, runtime, {}).items():
            first = fields[0]
            coordinate = f"{runtime.name}.{first.name}"
            if first.name == "__typename":
                removal = self._removal(key)
                if removal is not None:
                    entries.append((key, _REMOVED, (), removal, coordinate))
                    continue
                # An interface here: an `@interfaceObject` object no graph resolved to a real type.
                typename_kind = _TYPENAME if isinstance(runtime, GraphQLObjectType) else _NO_TYPE
                entries.append((key, typename_kind, (), None, coordinate))
                continue
            if first.name in _INTROSPECTION:
                entries.append((key, _RAW, (), None, coordinate))
                continue
            type_: GraphQLOutputType = runtime.fields[first.name].type
            chain: list[int] = []
            while True:
                if isinstance(type_, GraphQLNonNull):
                    chain.append(_NON_NULL)
                elif isinstance(type_, GraphQLList):
                    chain.append(_LIST)
                else:
                    break
                type_ = type_.of_type
            if isinstance(type_, GraphQLEnumType):
                # Values the API schema lacks (`@inaccessible`) are nulled, as @apollo/gateway does.
                entries.append((key, _GENERAL, tuple(chain), frozenset(type_.values), coordinate))
                continue
            if is_leaf_type(type_):
                if not chain:
                    entries.append((key, _LEAF, (), None, coordinate))
                    continue
                if chain == [_NON_NULL]:
                    entries.append((key, _LEAF_NON_NULL, (), None, coordinate))
                    continue
                child = None
            else:
                chain.append(_COMPOSITE)
                children = tuple(c for f in fields for c in f.selections or ())
                child = _SelectionSet(self.shape, type_, children, (*self.path, key))
            entries.append((key, _GENERAL, tuple(chain), child, coordinate))
        return tuple(entries)

    def _removal(self, key: str) -> Removal | None:
        removals = self.shape.removals
        return None if removals is None else removals.by_stand_in.get((self.path, key))


class OperationShape:
    """Shapes responses of one operation, for one outcome of its variable conditions."""

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: NormalizedOperation,
        variables: Mapping[str, Any],
        removals: Removals | None = None,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.removals = removals
        root = schema.get_type(operation.root_type)
        assert isinstance(root, GraphQLObjectType)
        #: how many selection sets have a memo slot (`_SelectionSet.memo_slot`)
        self.memo_slots = 0
        self.built = False
        self.root = _SelectionSet(self, root, operation.selections)
        self.built = True

    def shape(self, data: dict[str, Any], errors: list[dict[str, Any]]) -> dict[str, Any] | None:
        """The `data` of the response; None when a non-null root field is null. The spec's
        non-null errors are added to `errors`, after the errors of the removals."""
        shaping = _Shaping(errors, self.memo_slots)
        shaped = shaping.object(data, self.root, None)
        if shaping.unauthorized:
            errors[:0] = shaping.unauthorized
        return None if shaped is _INVALID or shaped is _DENIED or shaped is None else shaped

    def collect(
        self, selections: tuple[Selection, ...], runtime: _Runtime, into: dict[str, list[Field]]
    ) -> dict[str, list[Field]]:
        """https://spec.graphql.org/October2021/#CollectFields()"""
        for selection in selections:
            if selection.directives and not is_included(selection.directives, self.variables):
                continue
            if isinstance(selection, Field):
                into.setdefault(selection.response_key, []).append(selection)
            elif self._applies(selection.type_condition, runtime):
                self.collect(selection.selections, runtime, into)
        return into

    def _applies(self, condition: str | None, runtime: _Runtime) -> bool:
        if condition is None or condition == runtime.name:
            return True
        condition_type = self.schema.get_type(condition)
        return is_abstract_type(condition_type) and self.schema.is_sub_type(condition_type, runtime)


class _Shaping:
    """One response being shaped: where non-null errors go, and the removals' errors."""

    __slots__ = ("errors", "faulted", "misses", "seen", "shaped", "unauthorized")

    def __init__(self, errors: list[dict[str, Any]], memo_slots: int = 0) -> None:
        self.errors = errors
        self.unauthorized: list[dict[str, Any]] = []
        #: whether shaping met a null in a non-null position (maybe with an error, which holds
        #: its path): from then on no result is kept for reuse
        self.faulted = False
        #: by memo slot, the last object shaped there while nothing had faulted, and its result;
        #: `_OFF` in `seen` once the slot gave up (`_MISSES` objects in a row without a reuse)
        self.seen: list[Any] = [None] * memo_slots
        self.shaped: list[Any] = [None] * memo_slots
        #: by memo slot, the objects shaped there in a row without taking a result
        self.misses: list[int] = [0] * memo_slots

    def object(self, obj: dict[str, Any], selection: _SelectionSet, path: _LinkedPath) -> Any:
        found = selection.for_object(obj)
        if found is None:
            return None
        typename, entries, compiled = found
        if compiled is not None:
            return compiled(self, obj, path)
        # The removals' errors of this object first, then those under it; all of them go when
        # the object is nulled for another reason (shaped without them, it would be null).
        mark = len(self.unauthorized)
        denied = False
        for _, kind, _, removal, _ in entries:
            if kind == _REMOVED:
                assert isinstance(removal, Removal)
                self.unauthorized.append(removal.error(list(reversed(list(_unlink(path))))))
                denied = denied or removal.non_null
        result: dict[str, Any] = {}
        for key, kind, chain, child, coordinate in entries:
            if kind == _LEAF:
                result[key] = obj.get(key)
            elif kind == _LEAF_NON_NULL:
                value = obj.get(key)
                if value is None:
                    if key in obj:
                        self._non_null_error((path, key), coordinate)
                    del self.unauthorized[mark:]
                    return _INVALID
                result[key] = value
            elif kind == _TYPENAME:
                result[key] = typename
            elif kind == _NO_TYPE:  # never the interface's name: null, as @apollo/gateway
                del self.unauthorized[mark:]
                return _INVALID
            elif kind == _RAW:
                result[key] = obj.get(key)
            elif kind == _REMOVED:
                assert isinstance(child, Removal)
                if child.key is not None:
                    result[child.key] = None
            else:
                value = self.value(obj.get(key, _MISSING), chain, 0, child, (path, key), coordinate)
                if value is _INVALID:
                    del self.unauthorized[mark:]
                    return _INVALID
                if value is _DENIED:  # the rest is still shaped: its errors are the client's
                    denied = denied or chain[0] == _NON_NULL
                    value = None
                result[key] = None if value is _NULLED else value
        return _DENIED if denied else result

    def value(
        self,
        value: Any,
        chain: tuple[int, ...],
        at: int,
        child: _SelectionSet | frozenset[str] | Removal | None,
        path: _LinkedPath,
        coordinate: str,
    ) -> Any:
        """The completed value; `_NULLED` when a nullable position became null because of a
        child, `_INVALID` when this non-null position is null."""
        link = chain[at] if at < len(chain) else None
        if link == _NON_NULL:
            completed = self.value(value, chain, at + 1, child, path, coordinate)
            if completed is _INVALID or completed is _NULLED:
                return _INVALID
            if completed is None:
                if value is not _MISSING:
                    self._non_null_error(path, coordinate)
                return _INVALID
            return completed
        if value is None or value is _MISSING:
            return None
        if link == _LIST:
            if not isinstance(value, list):
                return None
            items: list[Any] = []
            mark = len(self.unauthorized)
            denied = False
            for index, item in enumerate(value):
                completed = self.value(item, chain, at + 1, child, (path, index), coordinate)
                if completed is _INVALID:
                    del self.unauthorized[mark:]
                    return _NULLED
                if completed is _DENIED:
                    denied = denied or chain[at + 1] == _NON_NULL
                    completed = None
                items.append(None if completed is _NULLED else completed)
            return _DENIED if denied else items
        if link is None:  # a leaf; an enum's (`child`) outside the API schema: null, no error
            if isinstance(child, frozenset) and (not isinstance(value, str) or value not in child):
                return _NULLED
            return value
        if not isinstance(value, dict):
            return None
        assert isinstance(child, _SelectionSet)
        shaped = self.object(value, child, path)
        return _NULLED if shaped is _INVALID else shaped

    def _non_null_error(self, linked: _LinkedPath, coordinate: str) -> None:
        self.faulted = True
        path = tuple(reversed(list(_unlink(linked))))
        # A subgraph error at or under this path already explains the null.
        for error in self.errors:
            error_path = error.get("path")
            if isinstance(error_path, list) and tuple(error_path[: len(path)]) == path:
                return
        self.errors.append(
            {
                "message": f"Cannot return null for non-nullable field {coordinate}.",
                "path": list(path),
            }
        )


def _unlink(linked: _LinkedPath) -> Iterator[str | int]:
    while linked is not None:
        linked, key = linked
        yield key


def _found(typename: str, entries: tuple[_Entry, ...], compiled: bool = True) -> _Found:
    return (typename, entries, _compile(typename, entries) if compiled else None)


def _compile(typename: str, entries: tuple[_Entry, ...]) -> _Compiled | None:
    """A function shaping an object with `entries`, the same as `_Shaping.object` walking them
    does, written out once: no loop over the entries, no dispatch on their kind, leaves read
    straight into the result. None when an entry is of a kind it does not know (then the walk
    does it). The source holds only indices: keys, coordinates and selection sets (client text
    among them) are constants it reads from its namespace, never text in the code."""
    namespace: dict[str, Any] = {
        "INVALID": _INVALID,
        "NULLED": _NULLED,
        "MISSING": _MISSING,
        "TYPENAME": typename,
        "OFF": _OFF,
        "MISSES": _MISSES,
    }
    lines = ["def shape(sh, obj, path):", "    get = obj.get"]
    if any(
        isinstance(entry[3], _SelectionSet) and entry[3].memo_slot is not None for entry in entries
    ):
        lines.append("    seen, shaped, misses = sh.seen, sh.shaped, sh.misses")
    for i, (key, kind, chain, child, coordinate) in enumerate(entries):
        namespace[f"K{i}"], namespace[f"C{i}"] = key, coordinate
        if kind in (_LEAF, _RAW):
            lines.append(f"    v{i} = get(K{i})")
        elif kind == _LEAF_NON_NULL:
            lines += [
                f"    v{i} = get(K{i})",
                f"    if v{i} is None:",
                f"        if K{i} in obj:",
                f"            sh._non_null_error((path, K{i}), C{i})",
                "        return INVALID",
            ]
        elif kind == _TYPENAME:
            lines.append(f"    v{i} = TYPENAME")
        elif kind == _GENERAL and chain == (_COMPOSITE,):  # a nullable object: no type chain
            namespace[f"S{i}"] = child
            call = _shaper(namespace, i, child, f"v{i}", f"(path, K{i})")
            lines += [
                f"    v{i} = get(K{i})",
                f"    if v{i} is not None:",
                f"        if isinstance(v{i}, dict):",
                *_shaping_lines(f"v{i}", call, child, "            "),
                "        else:",
                f"            v{i} = None",
            ]
        elif kind == _GENERAL and chain == (_LIST, _COMPOSITE):  # a nullable list of objects
            namespace[f"S{i}"] = child
            item_call = _shaper(namespace, i, child, "item", "(at, index)")
            lines += [
                f"    v{i} = get(K{i})",
                f"    if v{i} is not None:",
                f"        if isinstance(v{i}, list):",
                f"            at, items = (path, K{i}), []",
                f"            for index, item in enumerate(v{i}):",
                "                if isinstance(item, dict):",
                *_shaping_lines("item", item_call, child),
                "                    items.append(item)",
                "                else:",
                "                    items.append(None)",
                f"            v{i} = items",
                "        else:",
                f"            v{i} = None",
            ]
        elif kind == _GENERAL:
            namespace[f"H{i}"], namespace[f"S{i}"] = chain, child
            lines += [
                f"    v{i} = sh.value(get(K{i}, MISSING), H{i}, 0, S{i}, (path, K{i}), C{i})",
                f"    if v{i} is INVALID:",
                "        return INVALID",
                f"    if v{i} is NULLED:",
                f"        v{i} = None",
            ]
        else:
            return None
    lines.append("    return {" + ", ".join(f"K{i}: v{i}" for i in range(len(entries))) + "}")
    exec(compile("\n".join(lines), f"<shape of {len(entries)} fields>", "exec"), namespace)
    compiled: _Compiled = namespace["shape"]
    return compiled


def _shaping_lines(
    name: str, call: str, child: object, indent: str = "                    "
) -> list[str]:
    """Lines setting `name` (an object, source text) to the result of `call` shaping it, None
    for `_INVALID`. With a memo slot for `child`, an object equal to the last one shaped there
    takes that one's result instead: equal objects at one selection set shape alike
    (`_equal_shapes_alike`) but for their errors' paths, so a result is kept only while the
    response has met no fault (`_Shaping.faulted`). A slot that shaped `_MISSES` objects in a
    row without a reuse gives up for the rest of the response (`_OFF`): where nothing repeats,
    comparing each object with the last one would cost a fifth of shaping it."""
    assert isinstance(child, _SelectionSet)
    slot = child.memo_slot
    plain = [f"{name} = {call}", f"if {name} is INVALID:", f"    {name} = None"]
    if slot is None:
        return [indent + line for line in plain]
    return [
        f"{indent}last = seen[{slot}]",
        f"{indent}if last is OFF:",
        *(f"{indent}    {line}" for line in plain),
        f"{indent}elif last == {name}:",
        f"{indent}    {name} = shaped[{slot}]",
        f"{indent}    misses[{slot}] = 0",
        f"{indent}else:",
        f"{indent}    result = {call}",
        f"{indent}    if result is INVALID:",
        f"{indent}        {name} = None",
        f"{indent}    else:",
        f"{indent}        if not sh.faulted:",
        f"{indent}            missed = misses[{slot}] = misses[{slot}] + 1",
        f"{indent}            if missed < MISSES:",
        f"{indent}                seen[{slot}], shaped[{slot}] = {name}, result",
        f"{indent}            else:",
        f"{indent}                seen[{slot}] = OFF",
        f"{indent}        {name} = result",
    ]


def _equal_shapes_alike(runtime: _Runtime, entries: tuple[_Entry, ...]) -> bool:
    """Whether two objects equal in Python (`==`, deeply) always shape to the same JSON with
    `entries`, but for the paths of their errors. They do when every leaf under them is of a
    built-in scalar or an enum type: a valid answer holds strings there, or booleans, or
    numbers, and Python's equality of those is JSON's (an Int or Float `1` and `1.0` are the
    same value). A custom scalar's JSON may be anything, and `1 == True == 1.0` in Python."""
    for _, kind, _, child, coordinate in entries:
        if kind == _TYPENAME:
            continue
        if kind in (_LEAF, _LEAF_NON_NULL) or (kind == _GENERAL and child is None):
            field = runtime.fields.get(coordinate.partition(".")[2])
            if field is None or get_named_type(field.type).name not in _EXACT_SCALARS:
                return False
        elif kind == _GENERAL and isinstance(child, frozenset):  # an enum: strings
            continue
        elif not (
            kind == _GENERAL and isinstance(child, _SelectionSet) and child.memo_slot is not None
        ):
            return False
    return True


def _shaper(namespace: dict[str, Any], i: int, child: object, obj: str, path: str) -> str:
    """The call shaping the object `obj` of entry `i` at `path` (both source text): straight to
    the compiled function of its selection set when its type is fixed (what `_Shaping.object`
    would call), else through `_Shaping.object`."""
    assert isinstance(child, _SelectionSet)
    if child.fixed is not None and child.fixed[2] is not None:
        namespace[f"F{i}"] = child.fixed[2]
        return f"F{i}(sh, {obj}, {path})"
    return f"sh.object({obj}, S{i}, {path})"


def condition_directives(
    selections: tuple[Selection, ...],
) -> Iterator[tuple[DirectiveNode, ...]]:
    """The directives of every selection that has any, depth first: what shaping depends on
    besides the data."""
    for selection in selections:
        if selection.directives:
            yield selection.directives
        if selection.selections:
            yield from condition_directives(selection.selections)


class ResponseShaper:
    """Shapes one response; adds the spec's non-null errors to `errors`."""

    def __init__(
        self, schema: GraphQLSchema, variables: Mapping[str, Any], errors: list[dict[str, Any]]
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.errors = errors

    def shape(
        self,
        operation: NormalizedOperation,
        data: dict[str, Any],
        removals: Removals | None = None,
    ) -> dict[str, Any] | None:
        """The `data` of the response; None when a non-null root field is null."""
        shape = OperationShape(self.schema, operation, self.variables, removals)
        return shape.shape(data, self.errors)

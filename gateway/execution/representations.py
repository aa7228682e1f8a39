"""Entity representations: `{"__typename": ..., <key fields>, <required fields>}` built from the
response so far, de-duplicated so that each distinct entity is sent to a subgraph once per call.

An object without its key fields (its fetch failed) is left out; `@requires` data that are
missing are left out of the representation, which is sent with what there is, as Apollo does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import GraphQLSchema, is_abstract_type

from gateway.execution.entity_types import EntityType
from gateway.planning import Field, Selection

_MISSING = object()


@dataclass
class EntityBatch:
    """The distinct representations of one `_entities` call and where each answer goes."""

    representations: list[dict[str, Any]] = field(default_factory=list)
    #: for representation i, the objects its answer merges into
    targets: list[list[dict[str, Any]]] = field(default_factory=list)
    _index: dict[bytes, int] = field(default_factory=dict)
    #: the flat keys of each entity type's representations (`RequiresPicker.adder`), by type
    _flat: dict[tuple[str, str], dict[Any, int]] = field(default_factory=dict)

    def add(self, representation: dict[str, Any], obj: dict[str, Any]) -> None:
        """Add one object's representation; an identical one already present is reused."""
        key = _identity(representation)
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = len(self.representations)
            self.representations.append(representation)
            self.targets.append([obj])
        else:
            self.targets[index].append(obj)

    def collect(
        self,
        objects: Iterable[dict[str, Any]],
        picker: RequiresPicker,
        entity_type: Callable[[str], EntityType] = lambda typename: (typename, ()),
    ) -> None:
        """Add the objects found at a Flatten path (`picker` picks the `requires` selections of
        the fetch); objects no `requires` fragment matches (other types) or that hold none of
        the keys of their type (their fetch failed) are left out. `entity_type(typename)` is the
        `__typename` the subgraph knows the entity by, and the field names of its keys."""
        pick = picker.pick
        types: dict[str, EntityType] = {}
        adders: dict[str, _Adder | None] = {}
        index, representations, targets = self._index, self.representations, self.targets
        flat = self._flat
        objects = objects if isinstance(objects, list) else list(objects)
        position, end = 0, len(objects)
        while position < end:
            obj = objects[position]
            position += 1
            typename = obj.get("__typename")
            if typename.__class__ is str:
                # Most objects repeat an entity already added: a function compiled for their
                # type finds it by a flat key, without building the representation, and goes
                # on through the objects after it of that type (see `RequiresPicker.adder`).
                try:
                    adder = adders[typename]
                except KeyError:
                    found = types.get(typename)
                    if found is None:
                        found = types[typename] = entity_type(typename)
                    adder = adders[typename] = picker.adder(typename, found)
                if adder is not None:
                    stopped = adder(objects, position - 1, flat, representations, targets)
                    if stopped >= position:
                        position = stopped
                        continue
                    # its required part is not flat: it is added as any other object
            representation = pick(obj)
            if not representation:
                continue
            typename = representation.get("__typename")
            if typename.__class__ is str:
                found = types.get(typename)
                if found is None:
                    found = types[typename] = entity_type(typename)
                representation["__typename"], known = found
                if known:
                    present = representation.keys()
                    for names in known:
                        if names <= present:
                            break
                    else:
                        continue  # none of its keys: its fetch failed
            # As `add`, inlined: this runs for every object of every entity fetch.
            key = _identity(representation)
            at = index.get(key)
            if at is None:
                index[key] = len(representations)
                representations.append(representation)
                targets.append([obj])
            else:
                targets[at].append(obj)


class RequiresPicker:
    """Picks the part of an object that a `requires` selection set names, under field names
    (not aliases); absent fields are left out. The fields that apply to each `__typename` are
    worked out once and kept."""

    __slots__ = ("_adders", "_by_typename", "schema", "selections")

    def __init__(self, selections: tuple[Selection, ...], schema: GraphQLSchema) -> None:
        self.selections = selections
        self.schema = schema
        self._by_typename: dict[object, tuple[_Pick, ...]] = {}
        self._adders: dict[tuple[str, EntityType], tuple[_Adder | None]] = {}

    def pick(self, obj: dict[str, Any]) -> dict[str, Any]:
        """The picked part of `obj` (empty when nothing applies)."""
        typename = obj.get("__typename")
        try:
            fields = self._by_typename[typename]
        except KeyError:
            fields = self._by_typename[typename] = self._fields(self.selections, typename)
        except TypeError:  # an unhashable __typename: work it out each time
            fields = self._fields(self.selections, typename)
        picked: dict[str, Any] = {}
        for key, name, child in fields:
            if key not in obj:
                continue
            value = obj[key]
            if child is not None and value is not None:
                value = _pick_value(value, child)
                if value is _MISSING:
                    continue
            picked[name] = value
        return picked

    def adder(self, typename: str, entity_type: EntityType) -> _Adder | None:
        """For objects of `typename` whose `requires` part is flat (`__typename` and leaf fields,
        each name once): a function adding `objects[start:]` to a batch (its flat keys by
        type, representations and targets) as long as they are of `typename` with flat values
        (each a string, integer or null, or absent), and returning the position of the first
        object it did not add (`len(objects)` when it added them all). It finds a
        representation already there by a flat key (the values), without building it; two flat
        keys of one type are equal exactly when the representations are: the same names
        present, the same values, of the same JSON types. An object holding none of the keys
        of its type is passed over (its fetch failed). None when the selection is not flat."""
        cached = self._adders.get((typename, entity_type))
        if cached is None:
            cached = self._adders[typename, entity_type] = (
                _compile_adder(self, typename, entity_type),
            )
        return cached[0]

    def _fields_of(self, typename: object) -> tuple[_Pick, ...]:
        try:
            return self._by_typename[typename]
        except KeyError:
            fields = self._by_typename[typename] = self._fields(self.selections, typename)
            return fields

    def _fields(self, selections: tuple[Selection, ...], typename: object) -> tuple[_Pick, ...]:
        fields: list[_Pick] = []
        for selection in selections:
            if isinstance(selection, Field):
                child = None
                if selection.selections is not None:
                    child = RequiresPicker(selection.selections, self.schema)
                fields.append((selection.response_key, selection.name, child))
            elif _applies(selection.type_condition, typename, self.schema):
                fields.extend(self._fields(selection.selections, typename))
        return tuple(fields)


#: (response key, field name, picker of its sub-selections)
_Pick = tuple[str, str, "RequiresPicker | None"]


#: (objects, start, flat keys by type, representations, targets) -> where it stopped
_Adder = Callable[
    [
        list[dict[str, Any]],
        int,
        dict[tuple[str, str], dict[Any, int]],
        list[dict[str, Any]],
        list[list[dict[str, Any]]],
    ],
    int,
]


class _Absent:
    """A field the object does not hold (part of a flat key)."""

    __slots__ = ()


_ABSENT = _Absent()
#: the classes of values a flat key holds: equal values of these are equal JSON values
_FLAT = frozenset({str, int, type(None), _Absent})


def _compile_adder(picker: RequiresPicker, typename: str, entity_type: EntityType) -> _Adder | None:
    """`RequiresPicker.adder`, written out for one type. The source holds only indices: the
    keys and names it reads are constants of its namespace, never text in the code."""
    fields = picker._fields_of(typename)
    names = [name for _, name, _ in fields]
    sent_as, known = entity_type
    if (
        sent_as != typename  # an interface object: objects of several types share `sent_as`
        or len(set(names)) != len(names)
        or any(child is not None for _, _, child in fields)
        or ("__typename", "__typename") not in {(key, name) for key, name, _ in fields}
    ):
        return None
    ordered = sorted((name, key) for key, name, _ in fields if name != "__typename")
    namespace: dict[str, Any] = {
        "ABSENT": _ABSENT,
        "FLAT": _FLAT,
        "SENT_AS": sent_as,
        "TYPENAME": typename,
        "pick": picker.pick,
    }
    variable: dict[str, str] = {}
    lines = [
        "def add(objects, start, by_type, representations, targets):",
        "    for at in range(start, len(objects)):",
        "        obj = objects[at]",
        "        get = obj.get",
        "        typename = get('__typename')",
        "        if typename.__class__ is not str or typename != TYPENAME:",
        "            return at",
    ]
    for i, (name, key) in enumerate(ordered):
        namespace[f"K{i}"] = key
        variable[name] = f"v{i}"
        lines.append(f"        v{i} = get(K{i}, ABSENT)")
    if known:
        # `__typename` is always there; a key naming a field not selected is never whole.
        wanted = [names_ - {"__typename"} for names_ in known]
        alternatives = [
            " and ".join(f"{variable[n]} is not ABSENT" for n in sorted(names_)) or "True"
            for names_ in wanted
            if names_ <= variable.keys()
        ]
        condition = " or ".join(f"({a})" for a in alternatives) or "False"
        lines += [f"        if not ({condition}):", "            continue  # its fetch failed"]
    values = [f"v{i}" for i in range(len(ordered))]
    if values:
        checks = " and ".join(f"{v}.__class__ in FLAT" for v in values)
        lines += [f"        if not ({checks}):", "            return at"]
    # The flat keys of one type (one `requires` selection) sit in a dict of their own: the
    # values alone tell its representations apart there.
    key = "v0" if len(values) == 1 else "(" + "".join(f"{v}, " for v in values) + ")"
    lines[1:1] = [
        "    flat = by_type.get(TYPE)",
        "    if flat is None:",
        "        flat = by_type[TYPE] = {}",
    ]
    namespace["TYPE"] = (sent_as, ",".join(name for name, _ in ordered))
    lines += [
        f"        key = {key}",
        "        found = flat.get(key)",
        "        if found is None:",
        "            representation = pick(obj)",
        "            representation['__typename'] = SENT_AS",
        "            flat[key] = len(representations)",
        "            representations.append(representation)",
        "            targets.append([obj])",
        "        else:",
        "            targets[found].append(obj)",
        "    return len(objects)",
    ]
    exec(
        compile("\n".join(lines), f"<representations of {len(values)} fields>", "exec"),
        namespace,
    )
    adder: _Adder = namespace["add"]
    return adder


def _pick_value(value: Any, picker: RequiresPicker) -> Any:
    if value is None:
        return value
    if isinstance(value, list):
        return [_pick_value(item, picker) for item in value]
    if isinstance(value, dict):
        return picker.pick(value)
    return _MISSING


def _identity(representation: dict[str, Any]) -> bytes:
    """Equal for equal representations, whatever their key order."""
    try:
        return orjson.dumps(representation, default=str, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # an integer beyond 64 bits, say
        return json.dumps(representation, sort_keys=True, default=str).encode()


def _applies(condition: str | None, typename: object, schema: GraphQLSchema) -> bool:
    """Whether a fragment on `condition` applies to an object of type `typename`."""
    if condition is None or condition == typename:
        return True
    if not isinstance(typename, str):
        return False
    condition_type = schema.get_type(condition)
    object_type = schema.get_type(typename)
    return (
        condition_type is not None
        and object_type is not None
        and is_abstract_type(condition_type)
        and schema.is_sub_type(condition_type, object_type)
    )

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
        keyers: dict[str, _Keyer | None] = {}
        index, representations, targets = self._index, self.representations, self.targets
        for obj in objects:
            typename = obj.get("__typename")
            if typename.__class__ is str:
                # Most objects repeat an entity already added: its flat key finds it without
                # building the representation (see `RequiresPicker.keyer`).
                try:
                    keyer = keyers[typename]
                except KeyError:
                    found = types.get(typename)
                    if found is None:
                        found = types[typename] = entity_type(typename)
                    keyer = keyers[typename] = picker.keyer(typename, found)
                if keyer is not None:
                    flat = keyer(obj)
                    if flat is _SKIP:
                        continue  # none of its keys: its fetch failed
                    if flat is not None:
                        at = index.get(flat)
                        if at is None:
                            representation = pick(obj)
                            representation["__typename"] = types[typename][0]
                            index[flat] = len(representations)
                            representations.append(representation)
                            targets.append([obj])
                        else:
                            targets[at].append(obj)
                        continue
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

    __slots__ = ("_by_typename", "_keyers", "schema", "selections")

    def __init__(self, selections: tuple[Selection, ...], schema: GraphQLSchema) -> None:
        self.selections = selections
        self.schema = schema
        self._by_typename: dict[object, tuple[_Pick, ...]] = {}
        self._keyers: dict[tuple[str, EntityType], tuple[_Keyer | None]] = {}

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

    def keyer(self, typename: str, entity_type: EntityType) -> _Keyer | None:
        """For objects of `typename` whose `requires` part is flat (`__typename` and leaf fields,
        each name once): a function giving an object's representation key without building
        the representation, `_SKIP` when it holds none of the keys of its type, or None when a
        value is not a string, integer or null (then the representation's JSON is its key).
        Two such keys are equal exactly when the representations are: the same names present,
        the same values, of the same JSON types. None when the selection is not flat."""
        cached = self._keyers.get((typename, entity_type))
        if cached is None:
            cached = self._keyers[typename, entity_type] = (
                _compile_keyer(self, typename, entity_type),
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


#: an object's flat representation key: _SKIP, None (no flat key) or the key
_Keyer = Callable[[dict[str, Any]], Any]
_SKIP = object()


class _Absent:
    """A field the object does not hold (part of a flat key)."""

    __slots__ = ()


_ABSENT = _Absent()
#: the classes of values a flat key holds: equal values of these are equal JSON values
_FLAT = frozenset({str, int, type(None), _Absent})


def _compile_keyer(picker: RequiresPicker, typename: str, entity_type: EntityType) -> _Keyer | None:
    """`RequiresPicker.keyer`, written out for one type. The source holds only indices: the
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
        "SKIP": _SKIP,
        "NAMES": tuple(name for name, _ in ordered),
        "SENT_AS": sent_as,
    }
    variable: dict[str, str] = {}
    lines = ["def key(obj):", "    get = obj.get"]
    for i, (name, key) in enumerate(ordered):
        namespace[f"K{i}"] = key
        variable[name] = f"v{i}"
        lines.append(f"    v{i} = get(K{i}, ABSENT)")
    if known:
        # `__typename` is always there; a key naming a field not selected is never whole.
        wanted = [names_ - {"__typename"} for names_ in known]
        alternatives = [
            " and ".join(f"{variable[n]} is not ABSENT" for n in sorted(names_)) or "True"
            for names_ in wanted
            if names_ <= variable.keys()
        ]
        condition = " or ".join(f"({a})" for a in alternatives) or "False"
        lines += [f"    if not ({condition}):", "        return SKIP"]
    values = [f"v{i}" for i in range(len(ordered))]
    if values:
        checks = " and ".join(f"{v}.__class__ in FLAT" for v in values)
        lines += [f"    if not ({checks}):", "        return None"]
    lines.append("    return (NAMES, SENT_AS, " + "".join(f"{v}, " for v in values) + ")")
    exec(
        compile("\n".join(lines), f"<representation key of {len(values)} fields>", "exec"),
        namespace,
    )
    keyer: _Keyer = namespace["key"]
    return keyer


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

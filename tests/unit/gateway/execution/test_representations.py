"""Entity representations: each distinct one sent once, equal only when their JSON is equal; the
objects of several Flatten paths found in one walk."""

from __future__ import annotations

import json
from typing import Any

from graphql import build_schema
from hypothesis import given
from hypothesis import strategies as st

from gateway.execution.entity_types import EntityType
from gateway.execution.paths import PathSet, objects_at
from gateway.execution.representations import EntityBatch, RequiresPicker
from gateway.planning import Field, InlineFragment

SCHEMA = build_schema(
    """
    type Query { products: [Product] }
    type Product { id: ID, upc: String, price: Int, size: Size }
    type Size { width: Int }
    """
)
KEYS = (frozenset({"id"}), frozenset({"upc"}))


def entity_type(typename: str) -> EntityType:
    return typename, KEYS


def collect(objects: list[dict[str, Any]], *selections: Field | InlineFragment) -> EntityBatch:
    batch = EntityBatch()
    picker = RequiresPicker((Field("__typename"), *selections), SCHEMA)
    batch.collect(objects, picker, entity_type)
    return batch


def product(**fields: Any) -> dict[str, Any]:
    return {"__typename": "Product", **fields}


def test_equal_representations_are_sent_once_and_answer_every_object() -> None:
    first, second, third = product(id="1", price=3), product(id="2"), product(id="1", price=3)
    batch = collect([first, second, third], Field("id"), Field("price"))
    assert batch.representations == [product(id="1", price=3), product(id="2")]
    assert batch.targets == [[first, third], [second]]


def test_values_of_different_json_types_are_different_representations() -> None:
    objects = [product(id=value) for value in (1, True, 1.0, "1", None)] + [product(upc="u")]
    batch = collect(objects, Field("id"), Field("upc"))
    # `1 == True == 1.0` in Python, never in JSON: five entities, and the one keyed by `upc`.
    assert [r.get("id", "absent") for r in batch.representations] == [
        1,
        True,
        1.0,
        "1",
        None,
        "absent",
    ]
    assert all(len(targets) == 1 for targets in batch.targets)


def test_a_null_field_and_an_absent_one_are_different_representations() -> None:
    batch = collect([product(id="1", price=None), product(id="1")], Field("id"), Field("price"))
    assert batch.representations == [product(id="1", price=None), product(id="1")]


def test_an_object_holding_none_of_its_keys_is_left_out() -> None:
    # `upc` is not selected here: only the `id` key can be whole, and neither object holds it.
    batch = collect([product(price=3), product(upc="u", price=3)], Field("id"), Field("price"))
    assert batch.representations == []
    batch = collect([product(price=3), product(upc="u", price=3)], Field("upc"), Field("price"))
    assert batch.representations == [product(upc="u", price=3)]


def test_nested_required_data_are_compared_by_value() -> None:
    size = Field("size", selections=(Field("width"),))
    objects = [
        product(id="1", size={"width": 2, "depth": 9}),
        product(id="1", size={"width": 2}),
        product(id="1", size={"width": 3}),
    ]
    batch = collect(objects, Field("id"), size)
    assert batch.representations == [
        product(id="1", size={"width": 2}),
        product(id="1", size={"width": 3}),
    ]
    assert [len(targets) for targets in batch.targets] == [2, 1]


def test_fields_under_a_type_condition_apply_to_that_type_only() -> None:
    other = {"__typename": "Size", "id": "1", "width": 4}
    batch = collect(
        [product(id="1", price=3), other],
        Field("id"),
        InlineFragment("Product", (Field("price"),)),
    )
    assert batch.representations == [product(id="1", price=3), {"__typename": "Size", "id": "1"}]


JSON = st.recursive(
    st.none() | st.integers() | st.text(max_size=2),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from("abc"), children, max_size=3)
    ),
    max_leaves=25,
)
PATHS = st.lists(
    st.lists(st.sampled_from(["a", "b", "c", "@"]), min_size=1, max_size=4).map(tuple),
    min_size=1,
    max_size=5,
)


@given(JSON, PATHS)
def test_paths_walked_together_find_what_each_path_finds_alone(
    value: Any, paths: list[tuple[str, ...]]
) -> None:
    found = PathSet(tuple(paths)).objects(value)
    assert found == [objects_at(value, path) for path in paths]
    for objects, path in zip(found, paths, strict=True):
        assert [id(o) for o in objects] == [id(o) for o in objects_at(value, path)]


@given(JSON, PATHS)
def test_the_compiled_walk_finds_what_the_step_by_step_walk_finds(
    value: Any, paths: list[tuple[str, ...]]
) -> None:
    found = PathSet(tuple(paths))
    assert found.objects != found._walk  # compiled
    walked = found._walk(value)
    assert found.objects(value) == walked
    for compiled, stepped in zip(found.objects(value), walked, strict=True):
        assert [id(o) for o in compiled] == [id(o) for o in stepped]


def test_paths_too_deep_for_a_compiled_walk_are_walked_step_by_step() -> None:
    deep = ("a", "@") * 30
    value: Any = {"id": 1}
    for _ in range(30):
        value = {"a": [value]}
    for paths in [(deep,), (("a",) * 60,), ((), ("a", "@"), deep)]:
        found = PathSet(paths)
        assert found.objects(value) == [objects_at(value, path) for path in paths]
    walked = PathSet((deep,))
    assert walked.objects == walked._walk  # 30 nested loops: more than Python allows
    assert walked.objects(value) == [[{"id": 1}]]


def test_the_root_and_repeated_paths_each_get_their_own_list() -> None:
    value = {"a": [{"b": 1}, None, [{"c": 2}], {"b": 3}]}
    found = PathSet(((), ("a", "@"), ("a", "@"), ("a", "@", "@"))).objects(value)
    assert found == [[value], [{"b": 1}, {"b": 3}], [{"b": 1}, {"b": 3}], [{"c": 2}]]
    assert found[1] is not found[2]


FLAT_VALUES = st.none() | st.integers() | st.booleans() | st.floats() | st.sampled_from("12")
VALUES = FLAT_VALUES | st.dictionaries(st.sampled_from(["width"]), FLAT_VALUES, max_size=1)
OBJECTS = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "__typename": st.sampled_from(["Product", "Size", 1, None]),
            "id": VALUES,
            "upc": VALUES,
            "price": VALUES,
        },
    ),
    max_size=12,
)


@given(OBJECTS)
def test_the_compiled_adder_adds_what_picking_each_object_adds(
    objects: list[dict[str, Any]],
) -> None:
    picker = RequiresPicker(
        (Field("__typename"), Field("id"), Field("upc"), Field("price")), SCHEMA
    )
    batch = EntityBatch()
    batch.collect(objects, picker, entity_type)
    expected = EntityBatch()
    for obj in objects:  # the rule, one object at a time, without flat keys
        representation = picker.pick(obj)
        if isinstance(representation.get("__typename"), str) and not any(
            names <= representation.keys() for names in KEYS
        ):
            continue
        if representation:
            expected.add(representation, obj)
    # as JSON text: the same values of the same JSON types (`1 == True == 1.0` in Python)
    assert json.dumps(batch.representations) == json.dumps(expected.representations)
    assert [[id(o) for o in t] for t in batch.targets] == [
        [id(o) for o in t] for t in expected.targets
    ]

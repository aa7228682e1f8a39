"""Merging an entity answer into the objects it answers."""

from __future__ import annotations

from typing import Any

from gateway.execution.merge import merge_entity, merge_scalar_entity


def is_object_type(typename: str) -> bool:
    return typename != "Media"  # an interface some graph models as an object


def test_a_scalar_answer_merged_into_several_objects_is_what_merging_each_gives() -> None:
    answer = {"__typename": "Book", "title": "Dune", "price": None}
    objects: list[dict[str, Any]] = [{"__typename": "Book", "id": "1", "price": 3}, {"id": "1"}]
    expected = [dict(o) for o in objects]
    for target in expected:
        merge_entity(target, dict(answer), is_object_type)
    merge_scalar_entity(objects, answer, is_object_type)
    assert (
        objects
        == expected
        == [
            {"__typename": "Book", "id": "1", "price": None, "title": "Dune"},
            {"id": "1", "__typename": "Book", "title": "Dune", "price": None},
        ]
    )


def test_an_interface_objects_typename_never_replaces_the_real_type() -> None:
    answer = {"__typename": "Media", "title": "Dune"}
    objects: list[dict[str, Any]] = [{"__typename": "Book", "id": "1"}, {"id": "2"}]
    merge_scalar_entity(objects, answer, is_object_type)
    assert objects == [
        {"__typename": "Book", "id": "1", "title": "Dune"},
        {"id": "2", "__typename": "Media", "title": "Dune"},
    ]
    assert answer == {"__typename": "Media", "title": "Dune"}

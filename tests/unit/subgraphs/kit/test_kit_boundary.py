"""The input boundary: every string argument of a kit schema is checked before its resolver."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

from subgraphs.kit.boundary import argument_problems
from subgraphs.kit.schema import build_schema
from subgraphs.kit.text import MAX_ARGUMENT_LENGTH

CALLS: list[str] = []


@strawberry.input
class LineInput:
    product_id: str


@strawberry.input
class OrderInput:
    note: str | None = None
    lines: list[LineInput] = strawberry.field(default_factory=list)


@strawberry.type
class Widget:
    name: str

    @strawberry.field
    def label(self, prefix: str) -> str:
        CALLS.append("label")
        return prefix + self.name


@strawberry.type
class Query:
    @strawberry.field
    def find(self, search: str | None = None) -> list[Widget]:
        CALLS.append("find")
        return [Widget(name="mug")]


@strawberry.type
class Mutation:
    @strawberry.mutation
    def place(self, input: OrderInput) -> str:
        CALLS.append("place")
        return "placed"

    @strawberry.mutation
    def tag(self, tags: list[str]) -> str:
        CALLS.append("tag")
        return ",".join(tags)


schema = build_schema(query=Query, mutation=Mutation)


async def run(query: str, **variables: Any) -> Any:
    CALLS.clear()
    return await schema.execute(query, variable_values=variables)


async def test_clean_arguments_reach_the_resolver() -> None:
    result = await run('{ find(search: "mug") { label(prefix: "blue ") } }')
    assert result.errors is None
    assert result.data == {"find": [{"label": "blue mug"}]}


@pytest.mark.parametrize("bad", ["a\x00b", "\ud800", "x" * (MAX_ARGUMENT_LENGTH + 1)])
async def test_a_bad_string_refuses_the_field_before_its_resolver(bad: str) -> None:
    result = await run("query($s: String) { find(search: $s) { name } }", s=bad)
    assert CALLS == []
    assert result.data is None
    (error,) = result.errors
    assert error.path == ["find"]
    assert error.extensions["code"] == "VALIDATION_FAILED"
    assert error.extensions["field"] == "search"
    assert bad not in error.message


async def test_a_nested_field_argument_is_checked_with_its_path() -> None:
    result = await run('{ find { label(prefix: "\\u0000") } }')
    assert CALLS == ["find"]
    (error,) = result.errors
    assert error.path == ["find", 0, "label"]
    assert error.extensions["field"] == "prefix"


async def test_input_fields_are_named_as_the_domains_name_them() -> None:
    query = "mutation($i: OrderInput!) { place(input: $i) }"
    lines = [{"productId": "ok"}, {"productId": "\x00"}]
    result = await run(query, i={"note": "\ud800", "lines": lines})
    assert CALLS == []
    (error,) = result.errors
    assert [p["field"] for p in error.extensions["problems"]] == ["note", "lines[1].productId"]


async def test_list_arguments_are_named_with_their_index() -> None:
    result = await run('mutation { tag(tags: ["a", "\\u0000"]) }')
    (error,) = result.errors
    assert error.extensions["field"] == "tags[1]"


def test_entity_representations_are_walked_like_any_argument() -> None:
    problems = argument_problems({"representations": [{"__typename": "User", "id": "1\x00"}]})
    assert [p.field for p in problems] == ["representations[0].id"]

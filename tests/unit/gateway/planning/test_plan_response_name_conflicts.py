"""One response name under two type conditions whose types differ in the subgraph asked
(the supergraph of the federation scenario `response_name_conflicts`):
`Chair.label` is `String!` in furniture and `Table.label` is `String`; `Chair.sku` is `String!`
in catalog and `Table.sku` is `String`. Both are `String` in the supergraph, so the client's
operation is valid, but the subgraph operation would not be: one of them is aliased and the
fetch records the rename."""

from __future__ import annotations

from graphql import build_schema, parse, validate

from gateway.planning import Fetch, Flatten, QueryPlan, plan_operation
from gateway.planning.nodes import KeyRename, Parallel, PlanNode, Sequence
from tests.support.supergraphs import BENCHMARK, load_benchmark, load_scenario

#: furniture's schema as the subgraph validates operations (federation parts left out)
FURNITURE = build_schema(
    """
    type Query { pieces: [Piece!]! rooms: [Room!]! }
    type Room { name: String! pieces: [Piece!]! }
    union Piece = Chair | Table
    type Maker { name: String! }
    type Chair { id: ID! label: String! maker: Maker! }
    type Table { id: ID! label: String maker: Maker }
    """
)


def plan(query: str) -> QueryPlan:
    return plan_operation(load_scenario("response_name_conflicts"), parse(query))


def fetches(node: PlanNode | None) -> list[Fetch]:
    if isinstance(node, Fetch):
        return [node]
    if isinstance(node, Flatten):
        return [node.node]
    if isinstance(node, Sequence | Parallel):
        return [f for child in node.nodes for f in fetches(child)]
    return []


def test_a_root_fetch_aliases_the_conflicting_field_and_records_the_rename() -> None:
    result = plan("{ pieces { ... on Chair { id label } ... on Table { id label } } }")
    assert str(result) == (
        "QueryPlan {\n"
        '  Fetch(service: "furniture") {\n'
        "    {\n"
        "      pieces {\n"
        "        __typename\n"
        "        ... on Chair {\n"
        "          id\n"
        "          label\n"
        "        }\n"
        "        ... on Table {\n"
        "          id\n"
        "          label__alias_0: label\n"
        "        }\n"
        "      }\n"
        "    }\n"
        "  },\n"
        "}"
    )
    (fetch,) = fetches(result.node)
    assert fetch.renames == (KeyRename(("pieces",), "label__alias_0", "label"),)
    assert validate(FURNITURE, parse(fetch.operation_text)) == []


def test_the_unaliased_root_fetch_is_what_the_subgraph_refuses() -> None:
    sent = "{ pieces { __typename ... on Chair { id label } ... on Table { id label } } }"
    errors = validate(FURNITURE, parse(sent))
    assert [e.message for e in errors] == [
        "Fields 'label' conflict because they return conflicting types"
        " 'String!' and 'String'. Use different aliases on the fields"
        " to fetch both if this was intentional."
    ]


def test_an_entity_fetch_aliases_under_entities_and_keeps_the_client_alias() -> None:
    result = plan(
        "{ pieces { __typename ... on Chair { name: label code: sku } "
        "... on Table { code: sku name: label } } }"
    )
    text = str(result)
    assert (
        '    Flatten(path: "pieces.@") {\n'
        '      Fetch(service: "catalog") {\n'
        "        {\n"
        "          ... on Chair {\n"
        "            __typename\n"
        "            id\n"
        "          }\n"
        "          ... on Table {\n"
        "            __typename\n"
        "            id\n"
        "          }\n"
        "        } =>\n"
        "        {\n"
        "          ... on Chair {\n"
        "            code: sku\n"
        "          }\n"
        "          ... on Table {\n"
        "            code__alias_0: sku\n"
        "          }\n"
        "        }\n"
        "      },\n"
        "    },\n"
    ) in text
    root, entity = fetches(result.node)
    assert root.renames == (KeyRename(("pieces",), "name__alias_0", "name"),)
    assert entity.renames == (KeyRename((), "code__alias_0", "code"),)


def test_fields_whose_types_agree_in_the_subgraph_are_sent_as_they_are() -> None:
    result = plan("{ pieces { ... on Chair { id } ... on Table { id } } }")
    (fetch,) = fetches(result.node)
    assert "alias" not in fetch.operation_text
    assert fetch.renames == ()


def test_the_same_conflicting_field_asked_twice_shares_one_alias() -> None:
    result = plan(
        "{ pieces { ... on Table { label } ... on Chair { label } ... on Table { label } "
        "... on Chair { label } } }"
    )
    (fetch,) = fetches(result.node)
    assert fetch.operation_text.count("__alias_") == 1
    assert fetch.renames == (KeyRename(("pieces",), "label__alias_0", "label"),)
    assert validate(FURNITURE, parse(fetch.operation_text)) == []


def test_the_benchmark_plan_has_no_aliases() -> None:
    query = (BENCHMARK / "query.graphql").read_text()
    result = plan_operation(load_benchmark(), parse(query))
    assert fetches(result.node)
    assert all(f.renames == () for f in fetches(result.node))


def test_a_conflict_under_a_list_is_renamed_along_its_path() -> None:
    result = plan("{ rooms { name pieces { ... on Chair { label } ... on Table { label } } } }")
    (fetch,) = fetches(result.node)
    assert fetch.operation_text == (
        "{rooms{name pieces{__typename ...on Chair{label}...on Table{label__alias_0:label}}}}"
    )
    assert fetch.renames == (KeyRename(("rooms", "pieces"), "label__alias_0", "label"),)
    assert validate(FURNITURE, parse(fetch.operation_text)) == []


def test_a_composite_field_of_another_nullability_is_aliased_with_its_selection() -> None:
    result = plan(
        "{ pieces { ... on Chair { id maker { name } } ... on Table { id maker { name } } } }"
    )
    (fetch,) = fetches(result.node)
    assert "...on Table{id maker__alias_0:maker{name}}" in fetch.operation_text
    assert fetch.renames == (KeyRename(("pieces",), "maker__alias_0", "maker"),)
    assert validate(FURNITURE, parse(fetch.operation_text)) == []


def test_an_alias_is_never_a_response_key_the_client_uses() -> None:
    result = plan("{ pieces { ... on Chair { label } ... on Table { label label__alias_0: id } } }")
    (fetch,) = fetches(result.node)
    assert "label__alias_1:label" in fetch.operation_text
    assert "label__alias_0:id" in fetch.operation_text
    assert fetch.renames == (KeyRename(("pieces",), "label__alias_1", "label"),)
    assert validate(FURNITURE, parse(fetch.operation_text)) == []

"""Fetch nodes: subgraph operation text, variables passed on, operation names, introspection."""

from __future__ import annotations

from graphql import parse, print_ast

from gateway.planning import Fetch, Flatten, QueryPlan, Sequence, plan_operation
from gateway.supergraph import Supergraph


def fetches(plan: QueryPlan) -> list[Fetch]:
    found: list[Fetch] = []

    def walk(node: object) -> None:
        if isinstance(node, Fetch):
            found.append(node)
        elif isinstance(node, Flatten):
            walk(node.node)
        elif isinstance(node, Sequence) or hasattr(node, "nodes"):
            for child in node.nodes:  # type: ignore[attr-defined]
                walk(child)

    walk(plan.node)
    return found


def test_entity_fetch_operation_and_variables_with_types_and_defaults(
    users_orders: Supergraph,
) -> None:
    query = """
    query Page($page: Int = 2, $size: Int!, $withEmail: Boolean!, $unused: ID) {
      orders(page: $page, pageSize: $size) {
        items { user { name email @include(if: $withEmail) } }
      }
    }
    """
    root, entities = fetches(plan_operation(users_orders, parse(query)))
    assert root.operation_text == (
        "query Page__orders__0($page:Int=2$size:Int!)"
        "{orders(page:$page pageSize:$size){items{user{__typename id}}}}"
    )
    assert root.variable_usages == ("page", "size")
    assert root.requires is None and root.operation_kind == "query"
    assert entities.operation_text == (
        "query Page__users__1($representations:[_Any!]!$withEmail:Boolean!)"
        "{_entities(representations:$representations)"
        "{...on User{name email@include(if:$withEmail)}}}"
    )
    assert entities.variable_usages == ("withEmail",)
    assert entities.is_entity_fetch


def test_anonymous_operations_send_anonymous_fetches(users_orders: Supergraph) -> None:
    (fetch,) = fetches(plan_operation(users_orders, parse('{ user(id: "1") { name } }')))
    assert fetch.operation_text == '{user(id:"1"){name}}'
    assert fetch.operation_name is None


def test_mutation_fetches_are_mutations(users_orders: Supergraph) -> None:
    query = 'mutation { confirmOrder(id: "1") { id } }'
    (fetch,) = fetches(plan_operation(users_orders, parse(query)))
    assert fetch.operation_kind == "mutation"
    assert fetch.operation_text == 'mutation{confirmOrder(id:"1"){id}}'


def test_root_introspection_is_planned_without_fetches(users_orders: Supergraph) -> None:
    plan = plan_operation(users_orders, parse('{ __typename __type(name: "User") { name } }'))
    assert plan.node is None
    assert str(plan) == "QueryPlan {\n}"
    assert plan.introspection is not None
    assert (
        print_ast(plan.introspection)
        == '{\n  __typename\n  __type(name: "User") {\n    name\n  }\n}'
    )


def test_introspection_beside_data_fields_is_split_off(users_orders: Supergraph) -> None:
    plan = plan_operation(users_orders, parse('{ __typename user(id: "1") { id } }'))
    assert [f.service for f in fetches(plan)] == ["users"]
    assert plan.introspection is not None
    assert "user" not in print_ast(plan.introspection)

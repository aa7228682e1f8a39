"""Subgraph operations valid in each subgraph's own schema (differential against
@apollo/gateway): type conditions on union members or interfaces a subgraph does not know are
dropped or rewritten to the types it knows, never sent."""

from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "member_unknown_to_the_subgraph_is_dropped",
        "{ results { ... on Song { name } ... on Book { id title } } }",
        requests={"catalog": 1},
    ),
    Operation(
        "members_of_two_subgraphs",
        "{ search { ... on Film { title } ... on Book { title soundtrack } "
        "... on Song { name } } }",
        requests={"music": 1, "catalog": 1},
    ),
    Operation(
        "nested_union_condition_under_interface",
        "{ items { id ... on Result { ... on Song { name } ... on Film { title } } } }",
        requests={"catalog": 1},
    ),
    Operation(
        "interface_unknown_to_the_subgraph_is_rewritten",
        "{ search { ... on Item { id } ... on Song { name } } }",
    ),
    Operation(
        "interface_unknown_to_the_subgraph_with_remote_field",
        "{ search { __typename ... on Item { id ... on Book { title } } } }",
    ),
)

"""Answers shaped by the API schema (differential against @apollo/gateway): an enum value that is
`@inaccessible` (a subgraph returns `SECRET`) is not a value of the API schema; @apollo/gateway
answers it as null, with null propagation, and no entry in `errors` (it reports it under
`extensions.valueCompletion`, which the suite does not compare). And `@requires` data of object
types reached under an interface or a union, where fragments on other types select nothing."""

from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "inaccessible_enum_value_nulls_non_null_parents",
        "{ things { id ... on Chair { finish } } }",
    ),
    Operation(
        "inaccessible_enum_value_in_nullable_field",
        "{ featured { ... on Chair { id previousFinish } ... on Desk { id previousFinish } } }",
    ),
    Operation(
        "inaccessible_enum_value_in_list",
        "{ featured { ... on Chair { id finishes } ... on Desk { id finishes } } }",
    ),
    Operation(
        "accessible_enum_values_only",
        "{ featured { ... on Desk { id finish finishes } } }",
    ),
    Operation(
        "requires_under_interface",
        "{ things { name ... on Chair { price } ... on Desk { price } } }",
        requests={"shop": 1, "pricing": 1},
    ),
    Operation(
        "requires_under_union_with_client_field",
        "{ featured { ... on Chair { price legs } ... on Desk { id } } }",
        requests={"shop": 1, "pricing": 1},
        representations={"pricing": [2]},
    ),
    Operation(
        "requires_under_union_other_member_selects_nothing",
        "{ featured { ... on Desk { price } } }",
        representations={"pricing": [1]},
    ),
)

from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "interface_fields_from_two_graphs",
        "{ products { id name ... on Book { author isbn } ... on Furniture { material } } }",
        requests={"catalog": 1, "extras": 1},
        representations={"extras": [2]},
    ),
    Operation(
        "interface_with_implementation_unknown_to_first_graph",
        "{ recommended { __typename id name ... on Digital { sizeMb } ... on Book { author } } }",
        requests={"extras": 1, "catalog": 1},
        representations={"catalog": [1]},
    ),
    Operation("typename_only", "{ products { __typename id } }", requests={"catalog": 1}),
    Operation(
        "union_members_spread_over_graphs",
        '{ search(term: "e") { __typename ... on Book { name isbn } ... on Furniture { name } } }',
    ),
    Operation(
        "union_member_unknown_to_owner_graph",
        "{ extrasSearch { __typename ... on Digital { name } ... on Book { name author } } }",
    ),
    Operation(
        "named_fragment_on_interface",
        """query { products { ...P } recommended { ...P } }
           fragment P on Product { __typename id name }""",
    ),
    Operation(
        "fragment_on_member_not_returned",
        '{ search(term: "chair") { ... on Book { isbn } ... on Furniture { material } } }',
        requests={"catalog": 1},
    ),
)

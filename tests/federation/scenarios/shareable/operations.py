from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation("shareable_root_field", "{ topProducts { id name } }"),
    Operation(
        "shareable_root_picks_graph_with_more_fields",
        "{ topProducts(first: 2) { name relevance } }",
        requests={"search": 1},
    ),
    Operation(
        "shareable_root_picks_other_graph",
        "{ topProducts { name stock } }",
        requests={"catalog": 1},
    ),
    Operation(
        "shareable_entity_field_from_either",
        '{ product(id: "3") { name price { amount currency } relevance } }',
    ),
    Operation(
        "fields_only_in_three_graphs",
        "{ topProducts { id relevance stock discount { amount } } }",
    ),
    Operation("shareable_root_not_found", '{ product(id: "404") { id name } }'),
)

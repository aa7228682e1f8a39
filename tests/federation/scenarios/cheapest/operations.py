"""Shareable root fields and entity fields with several resolvers: the cheapest whole plan (fewest
fetches, then fewest sequential steps), not the subgraph resolving the most fields locally
(differential against @apollo/gateway)."""

from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "root_tie_goes_to_cheaper_graph",
        "{ topProducts { name stock } }",
        # atlas would need atlas -> shop -> inventory; shop has the sku inventory needs.
        requests={"shop": 1, "inventory": 1},
    ),
    Operation(
        "root_fewer_steps_over_more_local_fields",
        "{ topProducts { name color size stock } }",
        requests={"atlas": 1, "shop": 1, "inventory": 1},
    ),
    Operation(
        "entity_field_with_two_resolvers",
        "{ reviews { body product { price stock } } }",
        # price from shop (which also gives inventory its sku), not from atlas.
        requests={"reviews": 1, "shop": 1, "inventory": 1},
    ),
    Operation(
        "entity_fields_all_in_either",
        "{ reviews { product { id price color } } }",
        representations={"atlas": [3]},
    ),
    Operation(
        "root_fields_local_everywhere",
        "{ topProducts { id name color } }",
    ),
)

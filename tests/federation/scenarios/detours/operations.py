"""Fields reached through a third subgraph, and value-type fields reached by re-entering the parent
entity (differential against @apollo/gateway)."""

from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "detour_through_bridge",
        "{ orders { id product { stock } } }",
        # the store knows upc, the warehouse only sku: the catalog bridges the two keys.
        requests={"store": 1, "catalog": 1, "warehouse": 1},
        representations={"catalog": [3], "warehouse": [3]},
    ),
    Operation(
        "detour_and_bridge_fields",
        "{ orders { product { name stock upc } } }",
        requests={"store": 1, "catalog": 1, "warehouse": 1},
    ),
    Operation(
        "detour_then_another_hop",
        "{ orders { id product { bin { code aisle { name } } } } }",
        requests={"store": 1, "catalog": 1, "warehouse": 1, "floor": 1},
    ),
    Operation(
        "value_type_reenters_parent",
        '{ product(upc: "u1") { name dimensions { width weight } } }',
        # Dimensions has no key: weight is fetched by re-entering Product in the warehouse.
        requests={"catalog": 1, "warehouse": 1},
    ),
    Operation(
        "value_type_reenters_parent_in_list",
        "{ orders { id product { dimensions { height weight } } } }",
        requests={"store": 1, "catalog": 1, "warehouse": 1},
    ),
    Operation(
        "value_type_only_remote_field",
        '{ product(upc: "u2") { dimensions { weight } } }',
        requests={"catalog": 1, "warehouse": 1},
    ),
    Operation(
        "value_type_under_root_field_from_two_subgraphs",
        "{ stats { products skus totalStock } }",
        # Stats has no key: its fields of each subgraph come from a root fetch to each.
        requests={"catalog": 1, "warehouse": 1},
    ),
    Operation(
        "value_type_under_root_field_one_subgraph",
        "{ stats { products totalStock } }",
        requests={"warehouse": 1},
    ),
    Operation(
        "unknown_entity_through_detour",
        '{ product(upc: "nope") { name stock dimensions { weight } } }',
        requests={"catalog": 1},
    ),
)

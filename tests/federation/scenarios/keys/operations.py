from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "single_key",
        "{ topReviews { id body author { id name } } }",
        # 4 reviews by 3 distinct authors: one _entities call, each author once.
        requests={"reviews": 1, "accounts": 1},
        representations={"accounts": [3]},
    ),
    Operation(
        "several_keys",
        "query Me { me { id name newsletter } }",
        requests={"accounts": 1, "mail": 1},
    ),
    Operation(
        "resolvable_false_then_second_key",
        "{ topReviews(first: 3) { body author { name newsletter } } }",
        requests={"reviews": 1, "accounts": 1, "mail": 1},
        representations={"accounts": [2], "mail": [2]},
    ),
    Operation(
        "hop_through_third_subgraph",
        "{ topReviews { body product { upc inStock } } }",
        # reviews knows only upc, inventory only sku: products bridges the two keys.
        requests={"reviews": 1, "products": 1, "inventory": 1},
        representations={"products": [3], "inventory": [3]},
    ),
    Operation(
        "compound_key",
        "{ products { name lastShipment { carrier trackingNumber status } } }",
        requests={"products": 1, "shipping": 1},
        representations={"shipping": [2]},
    ),
    Operation(
        "nested_key",
        "{ members { id name org { id name } shipments { carrier status } } }",
        requests={"accounts": 1, "shipping": 1},
        representations={"shipping": [3]},
    ),
    Operation(
        "entity_both_ways",
        "{ products { name reviews { body author { name } } } }",
        requests={"products": 1, "reviews": 1, "accounts": 1},
    ),
    Operation(
        "key_fields_only_from_first_subgraph",
        "{ users { id email } }",
        requests={"accounts": 1},
    ),
)

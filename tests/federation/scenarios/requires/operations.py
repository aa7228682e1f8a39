from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "requires_nested_object",
        "{ products { name shippingEstimate } }",
        requests={"products": 1, "shipping": 1},
        representations={"shipping": [3]},
    ),
    Operation(
        "requires_inline_fragments_on_union",
        "{ products { name packagingCost } }",
        requests={"products": 1, "shipping": 1},
    ),
    Operation(
        "requires_field_with_argument",
        '{ products { name usd: price eur: price(currency: "EUR") tax } }',
        requests={"products": 1, "shipping": 1},
    ),
    # Where the client selects the required field under its own name with other arguments,
    # @apollo/gateway merges the two and computes `tax` from the client's USD price instead of
    # the EUR price the field set names: these answers are @graphql-hive/gateway's.
    Operation(
        "requires_argument_beside_the_client_field",
        "{ products { name price tax } }",
        requests={"products": 1, "shipping": 1},
        reference="hive",
    ),
    Operation(
        "requires_argument_beside_the_client_field_from_two_subgraphs",
        "{ products { price insurance } }",
        requests={"products": 1, "inventory": 1, "shipping": 1},
        reference="hive",
    ),
    Operation(
        "requires_chain",
        "{ products { name delivery } }",
        requests={"products": 1, "shipping": 1, "inventory": 1},
    ),
    Operation(
        "requires_from_two_subgraphs",
        "{ products { name insurance } }",
        requests={"products": 1, "inventory": 1, "shipping": 1},
    ),
    Operation(
        "everything_at_once",
        """{ products { upc shippingEstimate packagingCost tax insurance delivery inStock
                        dimensions { volume } } }""",
    ),
    Operation(
        "required_fields_not_leaked",
        "{ products { shippingEstimate } }",
    ),
)

from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "provided_field_needs_no_fetch",
        "{ topReviews { body author { id username } } }",
        requests={"reviews": 1},
    ),
    Operation(
        "field_beyond_provides",
        "{ topReviews { author { username email } } }",
        requests={"reviews": 1, "accounts": 1},
        representations={"accounts": [2]},
    ),
    Operation(
        "provides_only_under_its_field",
        "{ users { username reviews { body author { username } } } }",
        requests={"accounts": 1, "reviews": 1},
    ),
    Operation(
        "nested_provides",
        "{ topReviews { product { name vendor { name } } } }",
        requests={"reviews": 1},
    ),
    Operation(
        "nested_provides_partly",
        "{ topReviews { product { name vendor { name country } } } }",
        requests={"reviews": 1, "products": 1},
        representations={"products": [2]},
    ),
    Operation(
        "provides_on_interface_field",
        "{ topReviews { media { __typename id url } } }",
        requests={"reviews": 1},
    ),
    Operation(
        "interface_field_beyond_provides",
        "{ topReviews { media { url ... on Photo { width } ... on Video { seconds } } } }",
        requests={"reviews": 1, "media": 1},
    ),
    Operation(
        "provides_on_union_field",
        "{ topReviews { attachments { __typename ... on Photo { url } ... on Video { url } } } }",
        requests={"reviews": 1},
    ),
    Operation(
        "union_field_beyond_provides",
        "{ topReviews { attachments { ... on Video { url seconds } } } }",
        requests={"reviews": 1, "media": 1},
    ),
)

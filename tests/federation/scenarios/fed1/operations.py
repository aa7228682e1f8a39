# ruff: noqa: E501  (GraphQL documents read better on one line)
from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "me_with_reviews",
        "{ me { name reviews { body product { name } } } }",
        requests={"accounts": 1, "reviews": 1, "products": 1},
    ),
    Operation(
        "provides_in_fed1",
        "{ me { reviews { author { username } } } }",
        requests={"accounts": 1, "reviews": 1},
    ),
    Operation(
        "requires_in_fed1",
        "{ topProducts { name inStock shippingEstimate } }",
        requests={"products": 1, "inventory": 1},
    ),
    Operation(
        "the_classic_demo_query",
        """{ topProducts(first: 2) { upc name price reviews { body author { name username } } } }""",
    ),
)

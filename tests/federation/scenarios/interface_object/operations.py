from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "interface_object_field_on_interface",
        "{ media { id title rating } }",
        requests={"media": 1, "ratings": 1},
        representations={"ratings": [3]},
    ),
    Operation(
        "interface_object_fields_on_implementation",
        '{ book(id: "b1") { title pages rating reviewCount } }',
        requests={"media": 1, "ratings": 1},
    ),
    Operation(
        "from_interface_object_only_own_fields",
        "{ topRated { id rating } }",
        requests={"ratings": 1},
    ),
    Operation(
        "from_interface_object_real_typename",
        "{ topRated { __typename id rating } }",
        requests={"ratings": 1, "media": 1},
    ),
    Operation(
        "from_interface_object_type_conditions",
        "{ topRated { id title ... on Book { pages } ... on Movie { minutes } } }",
    ),
    Operation(
        "interface_object_and_fragments",
        "{ media { ... on Movie { title rating } ... on Book { reviewCount } } }",
    ),
)

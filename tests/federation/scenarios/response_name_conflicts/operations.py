"""One response name selected under two type conditions whose types differ in the subgraph
asked (`String!` on one, `String` on the other; `String` for both in the supergraph), which
GraphQL's "fields can merge" rule refuses (differential against @apollo/gateway): the fetch
aliases one of them (`label__alias_0: label`) and the answer is renamed back before merging,
in a root fetch (furniture) and in an entity fetch (catalog), under a list, and for a composite
field (`maker: Maker!` on one, `Maker` on the other)."""

from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "root_fetch",
        "{ pieces { ... on Chair { id label } ... on Table { id label } } }",
        requests={"furniture": 1},
    ),
    Operation(
        "entity_fetch",
        "{ pieces { ... on Chair { id sku } ... on Table { id sku } } }",
        requests={"furniture": 1, "catalog": 1},
    ),
    Operation(
        "client_aliases_in_both_fetches",
        "{ pieces { __typename ... on Chair { name: label code: sku } "
        "... on Table { code: sku name: label } } }",
        requests={"furniture": 1, "catalog": 1},
    ),
    Operation(
        "same_name_asked_twice",
        "{ pieces { ... on Table { label } ... on Chair { label } ... on Table { label } "
        "... on Chair { label sku } } }",
        requests={"furniture": 1, "catalog": 1},
    ),
    Operation(
        "nested_under_a_list",
        "{ rooms { name pieces { ... on Chair { label } ... on Table { label } } } }",
        requests={"furniture": 1},
    ),
    Operation(
        "composite_field",
        "{ pieces { ... on Chair { id maker { name } } ... on Table { id maker { name } } } }",
        requests={"furniture": 1},
    ),
)

"""Objects an `@interfaceObject` subgraph returns that no subgraph resolves to a concrete type
(differential against @apollo/gateway): never the interface's name as `__typename`."""

from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation("own_fields_need_no_concrete_type", "{ topRated { id rating } }"),
    Operation("typename_of_unresolved", "{ topRated { __typename id } }"),
    Operation("typename_of_unresolved_nullable", "{ rated { __typename id rating } }"),
    Operation("interface_field_of_unresolved", "{ rated { id title } }"),
    Operation("fragment_on_unresolved", "{ rated { id ... on Book { pages } } }"),
    Operation("fragment_on_unresolved_non_null", "{ topRated { id ... on Movie { minutes } } }"),
)

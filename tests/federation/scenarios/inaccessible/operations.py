# ruff: noqa: E501  (GraphQL documents read better on one line)
from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "inaccessible_key_used_between_graphs",
        "{ users { name lastLogin } }",
        requests={"users": 1, "admin": 1},
    ),
    Operation("inaccessible_field_rejected", "{ users { name internalCode } }", requests={}),
    Operation("inaccessible_key_field_rejected", "{ users { legacyId } }", requests={}),
    Operation("enum_value_visible", "{ usersByStatus(status: SUSPENDED) { name status } }"),
    Operation("inaccessible_enum_value_rejected", "{ usersByStatus(status: DELETED) { name } }"),
    Operation(
        "input_enum_intersection",
        "query ($o: Order) { auditLog(order: $o) { id action } }",
        variables={"o": "DESC"},
    ),
    Operation(
        "input_enum_value_outside_intersection",
        "query ($o: Order) { auditLog(order: $o) { id } }",
        variables={"o": "RANDOM"},
    ),
    Operation(
        "input_type_intersection",
        "query ($f: UserFilter!) { search(filter: $f) { name } searchAdmin(filter: $f) { lastLogin } }",
        variables={"f": {"nameContains": "a", "status": "ACTIVE", "order": "DESC"}},
    ),
    Operation(
        "input_field_outside_intersection",
        "query ($f: UserFilter!) { search(filter: $f) { name } }",
        variables={"f": {"createdAfter": "2020"}},
    ),
    Operation(
        "inaccessible_type_and_field_hidden_from_introspection",
        """{
          user: __type(name: "User") { fields { name } }
          status: __type(name: "Status") { enumValues { name } }
          order: __type(name: "Order") { enumValues { name } }
          filter: __type(name: "UserFilter") { inputFields { name } }
          audit: __type(name: "AuditEntry") { fields { name } }
          secret: __type(name: "Secret") { name }
        }""",
        requests={},
    ),
)

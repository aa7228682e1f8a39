from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "overridden_field_from_new_owner",
        '{ account(id: "a1") { name balance } }',
        requests={"legacy": 1, "billing": 1},
    ),
    Operation(
        "override_label_percent_100",
        '{ account(id: "a2") { name plan } }',
        requests={"legacy": 1, "billing": 1},
    ),
    Operation(
        "override_label_percent_0",
        '{ account(id: "a2") { name tier } }',
        requests={"legacy": 1},
    ),
    Operation(
        "overridden_root_field",
        "{ accounts { id balance invoices } }",
        requests={"billing": 1},
    ),
    Operation(
        "all_fields",
        "{ accounts { id name balance plan tier currency invoices } }",
    ),
)

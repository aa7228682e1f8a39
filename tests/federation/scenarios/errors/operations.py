from tests.federation.model import Operation, operations

#: our gateway: a short subgraph timeout, and a breaker that never opens during the suite
GATEWAY_ENV = {"GATEWAY_SUBGRAPH_REQUEST_TIMEOUT": "1.5", "CIRCUIT_BREAKER_MAX_REQUESTS": "1000"}
#: @apollo/gateway has no fetch timeout of its own: apollo_gateway_server.mjs adds one
REFERENCE_OPTIONS = {"timeoutMs": 1500}

OPERATIONS = operations(
    Operation(
        "non_null_in_subgraph_answer_nulls_parent",
        "{ reviews { id author { name } } }",
    ),
    Operation(
        "non_null_nulls_up_to_list",
        "{ strictReviews { id author { name } } }",
    ),
    Operation(
        "entity_not_found_under_non_null",
        "{ reviews { id author { nickname } } }",
    ),
    Operation(
        "subgraph_error_with_extensions_and_path",
        "{ reviews { id product { name stock } } }",
        requests={"reviews": 1, "inventory": 1},
    ),
    Operation(
        "root_field_error",
        "{ failing reviews { id } }",
    ),
    Operation(
        "subgraph_http_500",
        "{ reviews { id body product { upc name stock } } }",
        failures={"inventory": {"mode": "http500"}},
    ),
    Operation(
        "subgraph_timeout",
        "{ reviews { id body product { upc stock } } }",
        failures={"inventory": {"mode": "slow", "delay": 4}},
    ),
    Operation(
        "subgraph_graphql_errors_only",
        "{ reviews { id product { stock } } }",
        failures={"inventory": {"mode": "errors"}},
    ),
    Operation(
        "root_subgraph_http_500",
        "{ reviews { id } }",
        failures={"reviews": {"mode": "http500"}},
    ),
)

"""@authenticated, @requiresScopes and @policy, applied by our gateway for callers with different
tokens (anonymous, user, user with an extra scope, service, admin). Scopes are the token's roles.
"""

from tests.federation.model import Operation, Token, operations

REFERENCE_UNSUPPORTED = (
    "@apollo/gateway does not implement @authenticated, @requiresScopes or @policy: it refuses a "
    "supergraph linking their specs for: SECURITY"
)
#: read_audit is granted to admins and services; read_pii has no rule (granted to nobody)
GATEWAY_ENV = {"GATEWAY_AUTHORIZATION_POLICIES": '{"read_audit": ["admin", "service"]}'}

USER = Token("user:1", ("user",), user_id=1)
USER_WITH_EMAIL_SCOPE = Token("user:1", ("user", "read:email"), user_id=1)
SERVICE = Token("order-service", ("service",))
ADMIN = Token("user:9", ("admin",), user_id=9)

OPERATIONS = operations(
    Operation(
        "anonymous_gets_nulls_and_the_public_rest",
        "{ me { name } latestOrder { id total buyer { name email } } products { name } }",
    ),
    Operation(
        "anonymous_entity_field_costs_no_request",
        "{ latestOrder { id buyer { name creditLimit } } }",
        requests={"orders": 1, "accounts": 1},
    ),
    Operation(
        "anonymous_every_root_field_removed_calls_nobody",
        "{ me { name } orders { id } }",
        requests={},
    ),
    Operation(
        "anonymous_mutation_is_not_sent",
        'mutation { cancelOrder(id: "o1") { id } }',
        requests={},
    ),
    Operation(
        "user_sees_own_orders_but_not_email",
        "{ me { name email orders { id total } } }",
        token=USER,
    ),
    Operation(
        "user_with_scope_sees_email",
        "{ me { name email } }",
        token=USER_WITH_EMAIL_SCOPE,
    ),
    Operation(
        "user_cannot_list_users_non_null_root_nulls_data",
        "{ users { name } }",
        token=USER,
        requests={},
    ),
    Operation(
        "service_reads_audit_log_by_policy",
        "{ auditLog { action actor { name } } users { name creditLimit } }",
        token=SERVICE,
    ),
    Operation(
        "user_audit_log_type_policy",
        "{ auditLog { action } }",
        token=USER,
        requests={},
    ),
    Operation(
        "admin_sees_everything_but_unruled_policy",
        '{ users { name email } orders { id internalNote } user(id: "1") { name phone } }',
        token=ADMIN,
    ),
    Operation(
        "fragment_on_protected_type_is_removed",
        '{ search(text: "wood") { __typename ... on Product { name } ... on Supplier { name } } }',
    ),
    Operation(
        "protected_scalar_and_type_where_returned",
        "{ products { name cost supplier { name } } }",
        token=USER,
    ),
    Operation(
        "aliases_and_named_fragments",
        "query Q { mine: me { ...Who } first: latestOrder { note: internalNote } }\n"
        "fragment Who on User { handle: name email }",
        token=USER,
    ),
)

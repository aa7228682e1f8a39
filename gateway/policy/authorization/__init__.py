"""`@authenticated`, `@requiresScopes` and `@policy`: what a caller may see of an operation.

As Apollo Router documents them (docs/authorization.md): before planning, every field the
caller may not see is taken out of the operation; after execution it is answered `null` with an
`UNAUTHORIZED_FIELD_OR_TYPE` error (GraphQL null propagation applies to non-null fields), and
the rest of the operation runs as usual.

- A field is visible when the caller meets its own requirement and the requirement of the type
  it returns (object, interface, scalar or enum). On an interface, the caller must also meet
  the requirement of that field on every implementation; a field returning an interface and
  selecting its fields directly (not only `__typename` or fragments) also needs what every
  implementation requires. A root type's requirement applies to each of its fields.
- `@requiresScopes(scopes: [["a", "b"], ["c"]])`: a or b... read as (a AND b) OR c against the
  token's scopes; `@policy` alike against the policies the `PolicyEvaluator` grants;
  `@authenticated`: any verified caller.
- A fragment (inline or named) on a type the caller may not see is taken out: the objects of
  that type miss its fields and get one error each (as Router, which removes the fragment).
- `__typename` and the introspection fields always stay.

One module per part: `requirements.py` (what the supergraph requires, whether a caller meets
it), `filtering.py` (the normalised operation rewritten for a caller, and the `Removal` of each
selection taken out), `result.py` (`AuthorizedOperation`: what to plan, what was removed),
`rules.py` (the rules of one supergraph, the entry point). Shaping answers the removals
(gateway/execution/removals.py): the one null propagation of the gateway. When every root
field is taken out, the plan has no fetch at all: nothing reaches a subgraph.
"""

from gateway.policy.authorization.filtering import (
    UNAUTHORIZED_FIELD_OR_TYPE,
    UNAUTHORIZED_MESSAGE,
)
from gateway.policy.authorization.requirements import Caller, PolicyEvaluator, RolePolicies
from gateway.policy.authorization.result import AuthorizedOperation
from gateway.policy.authorization.rules import AuthorizationRules, authorization_rules

__all__ = [
    "UNAUTHORIZED_FIELD_OR_TYPE",
    "UNAUTHORIZED_MESSAGE",
    "AuthorizationRules",
    "AuthorizedOperation",
    "Caller",
    "PolicyEvaluator",
    "RolePolicies",
    "authorization_rules",
]

"""The authorization rules of one supergraph: who the caller is to them, and the operation as
that caller may run it."""

from __future__ import annotations

import logging
from collections.abc import Collection

from graphql import OperationType

from common.auth import Identity
from gateway.execution import Removals
from gateway.planning import NormalizedOperation, with_written_selections
from gateway.policy.authorization.filtering import OperationFilter
from gateway.policy.authorization.requirements import Caller, PolicyEvaluator, Requirements
from gateway.policy.authorization.result import AuthorizedOperation
from gateway.supergraph import Supergraph

logger = logging.getLogger(__name__)


class AuthorizationRules(Requirements):
    """The access requirements of one supergraph, applied to operations for callers."""

    def __init__(self, supergraph: Supergraph, evaluator: PolicyEvaluator) -> None:
        super().__init__(supergraph)
        self.evaluator = evaluator

    def caller(self, identity: Identity | None) -> Caller:
        """The caller as far as the supergraph's requirements can tell callers apart."""
        if identity is None:
            return Caller(policies=self.evaluator.granted(None, self.policies_used))
        return Caller(
            authenticated=True,
            scopes=identity.scopes & self.scopes_used,
            policies=self.evaluator.granted(identity, self.policies_used),
        )

    def authorize(self, operation: NormalizedOperation, caller: Caller) -> AuthorizedOperation:
        """The operation as `caller` may run it (a valid operation, normalised)."""
        root = self.schema.get_root_type(OperationType(operation.kind))
        assert root is not None, "a validated operation has a root type"
        filtering = OperationFilter(self, caller)
        [written] = filtering.scope([(root, operation.written)], self.type_requirement(root))
        if not filtering.removals:
            return AuthorizedOperation(operation)
        filtered = with_written_selections(operation, written, self.supergraph.schema)
        return AuthorizedOperation(filtered, Removals.of(filtering.removals))


def authorization_rules(
    supergraph: Supergraph, evaluator: PolicyEvaluator, rules: Collection[str] = ()
) -> AuthorizationRules | None:
    """The supergraph's rules, or None when it has no access requirement (nothing to do).
    `rules`: the policies the evaluator has a rule for; the others are logged once."""
    if not supergraph.has_access_requirements:
        return None
    result = AuthorizationRules(supergraph, evaluator)
    missing = sorted(result.policies_used - set(rules))
    if missing:
        logger.warning(
            "the supergraph uses @policy names without a rule in GATEWAY_AUTHORIZATION_POLICIES; "
            "they are granted to nobody: %s",
            ", ".join(missing),
        )
    return result

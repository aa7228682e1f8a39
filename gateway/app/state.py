"""The gateway state of one loaded supergraph: immutable, replaced whole on reload.

A request takes the state current when it starts and keeps it to the end, so a reload never
mixes two supergraphs within one request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from random import random as uniform_random

from graphql import DocumentNode, GraphQLError

from gateway.app.cache import LruCache
from gateway.app.coalesce import Coalescer
from gateway.app.cpu import CpuWorker
from gateway.execution import GraphQLResponse, PlanExecutor
from gateway.planning import NormalizedOperation, QueryPlan
from gateway.policy.authorization import (
    AuthorizationRules,
    AuthorizedOperation,
    Caller,
    RolePolicies,
    authorization_rules,
)
from gateway.policy.limits import OperationShape
from gateway.policy.persisted_queries import PersistedQueries
from gateway.policy.settings import PolicySettings
from gateway.supergraph import Supergraph


@dataclass(frozen=True, eq=False)
class Gateway:
    """What the pipeline needs for one supergraph: the supergraph, the executor, the caches."""

    supergraph: Supergraph
    executor: PlanExecutor
    #: subgraph name -> circuit breaker state, for /health
    breaker_states: Callable[[], Mapping[str, str]]
    expose_plans: bool = True
    #: sha256 of the supergraph SDL this state was built from (shown by /health)
    schema_hash: str = ""
    #: query text -> parsed document
    documents: LruCache[str, DocumentNode] = field(default_factory=LruCache)
    #: (query text, operation name) -> the operation's rate-limit bucket (policy/operation_key)
    operation_keys: LruCache[tuple[str, str | None], str] = field(default_factory=LruCache)
    #: query text -> validation errors against the API schema
    validations: LruCache[str, list[GraphQLError]] = field(default_factory=LruCache)
    #: (query text, operation name) -> the operation normalised (gateway/planning/normalize.py),
    #: which authorization filters and the planner plans
    operations: LruCache[tuple[str, str | None], NormalizedOperation] = field(
        default_factory=LruCache
    )
    #: (query text, operation name, enabled progressive override labels, authorized variant:
    #: `AuthorizedOperation.variant`, "" when nothing is taken out) -> plan
    plans: LruCache[tuple[str, str | None, frozenset[str], str], QueryPlan] = field(
        default_factory=LruCache
    )
    #: (query text, operation name) -> what the operation limits measure, and if it introspects
    shapes: LruCache[tuple[str, str | None], OperationShape] = field(default_factory=LruCache)
    #: documents named by hash and the safelist (one per app: outlives supergraph reloads)
    persisted_queries: PersistedQueries = field(default_factory=PersistedQueries)
    #: (query text, operation name, variables as canonical JSON) -> estimated cost
    costs: LruCache[tuple[str, str | None, bytes], int] = field(default_factory=LruCache)
    #: the request policy's limits and switches
    policy: PolicySettings = field(default_factory=PolicySettings)
    #: where parsing and validation of new documents run (one thread per app; inline in tests)
    cpu: CpuWorker = field(default_factory=CpuWorker.inline)
    #: draws `percent(N)` override labels per request: a float in [0, 1) (seeded in tests)
    random: Callable[[], float] = uniform_random
    #: (query text, operation name, what of the caller authorization looks at) -> the operation
    #: that caller may run (gateway/policy/authorization/)
    authorizations: LruCache[tuple[str, str | None, Caller], AuthorizedOperation] = field(
        default_factory=LruCache
    )
    #: identical queries in flight share one execution (`GATEWAY_COALESCE_REQUESTS`); None: off
    coalescer: Coalescer[GraphQLResponse] | None = None
    #: the supergraph's @authenticated/@requiresScopes/@policy rules; None when it has none
    authorization: AuthorizationRules | None = field(init=False)

    def __post_init__(self) -> None:
        # Built with the state, so policies without a rule are logged once per supergraph.
        rules = authorization_rules(
            self.supergraph,
            RolePolicies(dict(self.policy.authorization_policies)),
            [name for name, _ in self.policy.authorization_policies],
        )
        object.__setattr__(self, "authorization", rules)

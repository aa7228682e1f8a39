"""Progressive `@override` labels: which are enabled for one request.

As Apollo Router does: a `percent(N)` label is enabled for N% of requests, drawn per request by
the caller's random source (so planning stays pure); any other label only when the request
context enables it. The resulting set is an argument of `plan_operation` and belongs in the plan
cache key. https://www.apollographql.com/docs/graphos/schema-design/federated-schemas/reference/directives#progressive-override
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from functools import lru_cache

from gateway.supergraph import Supergraph

_PERCENT = re.compile(r"^percent\((\d+(?:\.\d+)?)\)$")


@lru_cache(maxsize=8)  # asked per request; a supergraph is immutable (and hashed by identity)
def override_labels(supergraph: Supergraph) -> frozenset[str]:
    """Every progressive override label the supergraph uses."""
    return frozenset(
        join.override_label
        for info in supergraph.types.values()
        for field in info.fields.values()
        for join in field.joins
        if join.override_label is not None
    )


def enabled_override_labels(
    supergraph: Supergraph, requested: Collection[str], random: Callable[[], float]
) -> frozenset[str]:
    """The labels enabled for one request: `percent(N)` when `random()` (in [0, 1)) falls
    below N%, others when `requested` names them."""
    enabled: set[str] = set()
    for label in sorted(override_labels(supergraph)):
        percent = _PERCENT.match(label)
        if percent is not None:
            if random() * 100 < float(percent.group(1)):
                enabled.add(label)
        elif label in requested:
            enabled.add(label)
    return frozenset(enabled)

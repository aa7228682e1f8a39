"""The declarative data model of a scenario subgraph, written in each scenario's `data.py`.

```python
SUBGRAPHS = {
    "products": SubgraphData(
        rows={"Product": [{"upc": "1", "name": "Table"}]},    # entity/object rows by type
        resolvers={"Query": {"product": lambda _, info, upc: find(...)}},
        references={"Product": lambda representation, info: {...} or None},
    ),
}
```

- `rows[T]`: the rows of type `T`. `_entities` finds a row whose values match one of `T`'s
  `@key` field sets (nested keys compare nested dicts); the answer is the row with the
  representation's fields on top (so `@requires` fields arrive in the parent). A `@key` type with
  no table answers with the representation itself (a subgraph that only adds fields).
- `resolvers[T][f]`: `f(parent, info, **args)` for field `T.f` (root fields, computed fields such
  as those with `@requires`, relations). Other fields read `parent[f]`.
- `references[T]`: a custom `resolve_reference(representation, info)`; `None` means not found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Resolver = Callable[..., Any]


@dataclass
class SubgraphData:
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    resolvers: dict[str, dict[str, Resolver]] = field(default_factory=dict)
    references: dict[str, Callable[[dict[str, Any], Any], dict[str, Any] | None]] = field(
        default_factory=dict
    )

    def __post_init__(self) -> None:
        for type_name, rows in self.rows.items():
            for row in rows:
                row.setdefault("__typename", type_name)

    def find(self, type_name: str, **values: Any) -> dict[str, Any] | None:
        """The first row of `type_name` whose fields equal `values`."""
        for row in self.rows.get(type_name, []):
            if all(row.get(k) == v for k, v in values.items()):
                return row
        return None


@dataclass(frozen=True)
class Token:
    """A client token the harness signs with the gateway's `AUTH_JWT_SECRET` and sends as
    `Authorization: Bearer <jwt>` (as `POST /api/v1/auth/token` would issue it: `scope` carries
    the roles; `uid` the user id, if given)."""

    subject: str
    roles: tuple[str, ...]
    user_id: int | None = None


@dataclass
class Operation:
    """One client operation of a scenario, compared with its recorded answer."""

    name: str
    query: str
    variables: dict[str, Any] | None = None
    #: subgraph -> failure mode for the next request(s) (see subgraph_server `/_fail`)
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: subgraph -> exact number of requests this operation must cost (checked for both gateways)
    requests: dict[str, int] | None = None
    #: subgraph -> the representation counts of its `_entities` calls, in order
    representations: dict[str, list[int]] | None = None
    #: the subgraphs' requests must arrive in this order (mutations in document order)
    order: list[str] | None = None
    operation_name: str | None = None
    #: the caller; None: an anonymous request (no Authorization header)
    token: Token | None = None
    #: the reference gateway the expected answer is recorded from and compared with: "apollo"
    #: (@apollo/gateway), or "hive" (@graphql-hive/gateway) where @apollo/gateway is known to
    #: be wrong (the operation says why; the differential tests check it still is)
    reference: str = "apollo"


def operations(*ops: Operation) -> list[Operation]:
    names = [op.name for op in ops]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"duplicate operation names: {sorted(duplicates)}")
    return list(ops)

"""SQL statements per operation of the mix, each sent alone on the quiet system: the subgraphs'
request statement counters before and after. The orders page is measured for a shopper with few
orders and for one with many: the same count for both means no N+1."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import operations as ops
from .measures import statements_by_subgraph
from .operations import OrderApi
from .population import HEAVY_ORDERS, GraphQLClient, Population, client_address, sign_in
from .stack import Stack


@dataclass(frozen=True)
class Probe:
    """The request SQL statements one operation cost, per subgraph (those it touched)."""

    label: str
    statements: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.statements.values())


def measure(stack: Stack, label: str, send: Callable[[], Any]) -> Probe:
    before = statements_by_subgraph(stack)
    send()
    after = statements_by_subgraph(stack)
    used = {name: round(after[name] - before[name]) for name in after}
    return Probe(label, {name: count for name, count in used.items() if count})


def probe_operations(stack: Stack, population: Population, api: OrderApi) -> list[Probe]:
    """Each operation of the mix once, as its user sends it."""
    anonymous = GraphQLClient(stack, client_address(2))
    admin_token = sign_in(
        stack, population.admin["login"], population.admin["password"], client_address(3)
    )
    admin = GraphQLClient(stack, client_address(3), admin_token)
    heavy = GraphQLClient(stack, population.heavy["address"], population.heavy["token"])
    light = GraphQLClient(stack, population.light["address"], population.light["token"])
    product = population.products[0]
    lines = [(product, 1), (population.products[1], 2)]
    shopper = population.light
    return [
        measure(
            stack,
            "catalogue page",
            lambda: anonymous.data(ops.CATALOGUE, {"page": 1, "pageSize": 20}),
        ),
        measure(
            stack, "catalogue search", lambda: anonymous.data(ops.SEARCH, {"search": "Widget"})
        ),
        measure(
            stack, "product page", lambda: anonymous.data(ops.PRODUCT, {"sku": product["sku"]})
        ),
        measure(
            stack,
            "sign in",
            lambda: sign_in(stack, shopper["login"], shopper["password"], shopper["address"]),
        ),
        measure(
            stack,
            "orders page, 2 orders",
            lambda: light.data(ops.MY_ORDERS, {"pageSize": 10}),
        ),
        measure(
            stack,
            f"orders page, {HEAVY_ORDERS} orders",
            lambda: heavy.data(ops.MY_ORDERS, {"pageSize": 20}),
        ),
        measure(
            stack,
            "place order (GraphQL)",
            lambda: light.data(
                ops.CREATE_ORDER, {"input": api.graphql_input(lines, uuid.uuid4().hex)}
            ),
        ),
        measure(stack, "admin: users", lambda: admin.data(ops.ADMIN_USERS, {"page": 1})),
        measure(stack, "admin: orders", lambda: admin.data(ops.ADMIN_ORDERS, {"page": 1})),
        measure(stack, "admin: payments", lambda: admin.data(ops.ADMIN_PAYMENTS, {"page": 1})),
        measure(stack, "admin: audit log", lambda: admin.data(ops.ADMIN_AUDIT, {"page": 1})),
    ]

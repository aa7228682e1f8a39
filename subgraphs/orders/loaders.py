"""The request's DataLoaders: lookups by order id, by user id, and of items each share one query.

They load rows whatever the caller; resolvers pass what they find through the service's read
rule (`OrderService.readable`) before answering.
"""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from subgraphs.kit.database import RequestDb
from subgraphs.orders.models import OrderItemRow, OrderRow
from subgraphs.orders.service import OrderService


@dataclass(frozen=True)
class OrderLoaders:
    """DataLoaders of one request."""

    #: Live orders by id; None for a missing or deleted order.
    order_by_id: DataLoader[int, OrderRow | None]
    #: Live orders of a user, newest first; [] for a user without any.
    orders_by_user: DataLoader[int, list[OrderRow]]
    #: The items of an order, in their order.
    items_by_order: DataLoader[int, list[OrderItemRow]]


def make_loaders(db: RequestDb) -> OrderLoaders:
    """Fresh loaders for one request (their cache must not outlive it)."""
    service = OrderService(db, None)
    return OrderLoaders(
        order_by_id=DataLoader(load_fn=service.get_many),
        orders_by_user=DataLoader(load_fn=service.by_users),
        items_by_order=DataLoader(load_fn=service.items_of),
    )

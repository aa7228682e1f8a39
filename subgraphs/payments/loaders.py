"""The request's DataLoaders: lookups by payment id and by order id each share one query.

They load rows whatever the caller; resolvers pass what they find through the service's read
rule (`PaymentService.readable`) before answering.
"""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from subgraphs.kit.database import RequestDb
from subgraphs.payments.models import PaymentRow
from subgraphs.payments.service import PaymentService


@dataclass(frozen=True)
class PaymentLoaders:
    """DataLoaders of one request."""

    #: Payments by id; None for a missing payment.
    payment_by_id: DataLoader[int, PaymentRow | None]
    #: Each order's latest payment; None for an order without one.
    payment_by_order: DataLoader[int, PaymentRow | None]


def make_loaders(db: RequestDb) -> PaymentLoaders:
    """Fresh loaders for one request (their cache must not outlive it)."""
    service = PaymentService(db, None)
    return PaymentLoaders(
        payment_by_id=DataLoader(load_fn=service.get_many),
        payment_by_order=DataLoader(load_fn=service.latest_by_orders),
    )

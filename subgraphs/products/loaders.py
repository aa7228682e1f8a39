"""The request's DataLoaders: lookups of products by id, and by sku, each share one query."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from subgraphs.kit.database import RequestDb
from subgraphs.products.models import ProductRow
from subgraphs.products.service import ProductService


@dataclass(frozen=True)
class ProductLoaders:
    """DataLoaders of one request."""

    #: Products by id; None for a missing product.
    product_by_id: DataLoader[int, ProductRow | None]
    #: Products by normalised sku; None for an unknown sku.
    product_by_sku: DataLoader[str, ProductRow | None]


def make_loaders(db: RequestDb) -> ProductLoaders:
    """Fresh loaders for one request (their cache must not outlive it)."""
    service = ProductService(db)
    return ProductLoaders(
        product_by_id=DataLoader(load_fn=service.get_many),
        product_by_sku=DataLoader(load_fn=service.get_many_by_sku),
    )

"""The request's DataLoaders: rows by id, and users' audit trails, batched."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.dataloader import DataLoader

from subgraphs.audit.models import AuditLogRow
from subgraphs.audit.service import AuditService, TrailKey
from subgraphs.kit.database import RequestDb
from subgraphs.kit.pagination import Page


@dataclass(frozen=True)
class AuditLoaders:
    """DataLoaders of one request."""

    #: Audit rows by id; None for a missing one.
    entry_by_id: DataLoader[int, AuditLogRow | None]
    #: A page of a user's audit trail (User.auditTrail), two queries per batch.
    trail: DataLoader[TrailKey, Page[AuditLogRow]]


def make_loaders(db: RequestDb) -> AuditLoaders:
    """Fresh loaders for one request (their cache must not outlive it)."""
    service = AuditService(db)
    return AuditLoaders(
        entry_by_id=DataLoader(load_fn=service.get_many),
        trail=DataLoader(load_fn=service.trails),
    )

"""The audit subgraph's GraphQL schema: `AuditLog @key(fields: "id")`, read-only queries and the
`User` stub that gains `auditTrail`. There are no mutations: the log is append-only.

Resolvers call the service or the request's DataLoaders, never the database. Everything here is
for admins and services; the service holds that rule, for the caller the resolvers hand it
(`info.context.identity`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from subgraphs.audit.loaders import AuditLoaders
from subgraphs.audit.models import AuditLogRow
from subgraphs.audit.service import AuditService, TrailKey
from subgraphs.kit.clock import as_utc
from subgraphs.kit.context import RequestContext
from subgraphs.kit.ids import format_id, parse_id
from subgraphs.kit.pagination import DEFAULT_PAGE_SIZE, Page, PageInfo, page_request
from subgraphs.kit.schema import build_schema

AuditInfo = Info[RequestContext[AuditLoaders], None]


# No description: the users subgraph owns User and describes it.
@strawberry.federation.type(keys=["id"])
class User:
    """The users subgraph's entity; this subgraph adds `auditTrail`."""

    id: strawberry.ID

    @strawberry.field(
        description="What this user did and what happened to them (rows where they are the "
        "actor, or the entity is this user, or the event's payload names them), newest first. "
        "Admins and services only. Errors: UNAUTHENTICATED, FORBIDDEN."
    )
    async def audit_trail(
        self, info: AuditInfo, page: int = 1, page_size: int = DEFAULT_PAGE_SIZE
    ) -> AuditLogPage:
        _service(info).require_reader("reading a user's audit trail")
        request = page_request(page, page_size)
        user_id = parse_id(self.id)
        if user_id is None:
            return AuditLogPage.of(Page(items=[], request=request, total=0))
        return AuditLogPage.of(await info.context.loaders.trail.load(TrailKey(user_id, request)))

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> User:
        """Any id: whether the user exists is for the users subgraph to say."""
        return cls(id=strawberry.ID(str(id)))


@strawberry.federation.type(keys=["id"], description="One event as it happened; never changed.")
class AuditLog:
    """A row of the audit log."""

    id: strawberry.ID
    actor_user_id: strawberry.Private[int | None]
    actor_subject: str | None = strawberry.field(
        description="Who did it: the subject of the caller's token as the event carried it "
        "(`user:7` for a user, the client id for a client-credentials token, the service's "
        "subject for a service token); null when unknown (seed data, some consumers)."
    )
    action: str = strawberry.field(description="The event type (`order.status_changed`).")
    entity_type: str
    entity_id: str
    before: JSON | None = strawberry.field(description="The state before; null for creations.")
    after: JSON | None = strawberry.field(description="The state after; null for deletions.")
    request_id: str | None
    timestamp: datetime = strawberry.field(description="When it happened.")
    source: str = strawberry.field(description="The service that published the event.")

    @strawberry.field(
        description="The acting user (when `actorSubject` is `user:<id>` or a bare id); null "
        "when the actor was not a user."
    )
    def actor(self) -> User | None:
        if self.actor_user_id is None:
            return None
        return User(id=strawberry.ID(format_id(self.actor_user_id)))

    @classmethod
    def from_row(cls, row: AuditLogRow) -> AuditLog:
        """The GraphQL view of an audit row."""
        return cls(
            id=strawberry.ID(format_id(row.id)),
            actor_user_id=row.actor_user_id,
            actor_subject=row.actor_subject,
            action=row.action,
            entity_type=row.entity_type,
            entity_id=row.entity_id,
            before=row.before,
            after=row.after,
            request_id=row.request_id,
            timestamp=as_utc(row.timestamp),
            source=row.source,
        )

    @classmethod
    async def resolve_reference(cls, info: AuditInfo, id: strawberry.ID) -> AuditLog | None:
        """The row an `_entities` representation names; None when missing, or when the caller
        is neither an admin nor a service."""
        row_id = parse_id(id)
        if row_id is None:
            return None
        row = _service(info).visible(await info.context.loaders.entry_by_id.load(row_id))
        return AuditLog.from_row(row) if row is not None else None


def _service(info: AuditInfo) -> AuditService:
    """The service acting for this request's caller."""
    return AuditService(info.context.db, caller=info.context.identity)


async def _load_entry(info: AuditInfo, entry_id: object) -> AuditLog | None:
    _service(info).require_reader()
    row_id = parse_id(entry_id)
    if row_id is None:
        return None
    row = await info.context.loaders.entry_by_id.load(row_id)
    return AuditLog.from_row(row) if row is not None else None


@strawberry.type(description="A page of audit log rows.")
class AuditLogPage:
    """Rows of one page and where the page sits."""

    items: list[AuditLog]
    page_info: PageInfo

    @classmethod
    def of(cls, page: Page[AuditLogRow]) -> AuditLogPage:
        """The GraphQL view of a page of rows."""
        return cls(
            items=[AuditLog.from_row(row) for row in page.items], page_info=PageInfo.of(page)
        )


@strawberry.type
class Query:
    """Read the audit log."""

    @strawberry.field(
        description="The audit row with this id; null when missing. Admins and services only. "
        "Errors: UNAUTHENTICATED, FORBIDDEN."
    )
    async def audit_log(self, info: AuditInfo, id: strawberry.ID) -> AuditLog | None:
        return await _load_entry(info, id)

    @strawberry.field(
        description="Audit rows, newest first; every filter given must hold, `from` and `to` "
        "inclusive; `actorId` is a user id (rows whose actor is `user:<id>`). Admins and "
        "services only. Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED (`from` later "
        "than `to`, page arguments)."
    )
    async def audit_logs(
        self,
        info: AuditInfo,
        page: int = 1,
        page_size: int = DEFAULT_PAGE_SIZE,
        actor_id: strawberry.ID | None = None,
        entity_type: str | None = None,
        entity_id: str | None = None,
        action: str | None = None,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> AuditLogPage:
        result = await _service(info).list_page(
            page=page,
            page_size=page_size,
            actor_id=actor_id,
            entity_type=entity_type,
            entity_id=entity_id,
            action=action,
            since=from_,
            until=to,
        )
        return AuditLogPage.of(result)


schema = build_schema(query=Query, types=[User])

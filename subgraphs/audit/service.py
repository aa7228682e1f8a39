"""Reading the audit log. It has no way to change a row: the log is append-only.

Rows are appended only by the `audit` consumer (`consumer.Recorder`). Reading is for admins and
services, in every form (by id, lists, a user's trail, as an entity): UNAUTHENTICATED without a
caller, FORBIDDEN for any other role; a row asked for as an entity by anyone else is null.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from subgraphs.audit import repository
from subgraphs.audit.models import AuditLogRow
from subgraphs.audit.repository import AuditFilter
from subgraphs.audit.validation import MAX_FILTER_LENGTH, clean_time_range
from subgraphs.kit.database import RequestDb
from subgraphs.kit.identity import (
    ADMIN,
    SERVICE,
    Identity,
    caller_with_role,
    is_privileged,
)
from subgraphs.kit.ids import parse_id
from subgraphs.kit.pagination import Page, PageRequest, page_request
from subgraphs.kit.text import exact_text
from subgraphs.kit.validation import require_valid


@dataclass(frozen=True)
class TrailKey:
    """One user's page of audit trail, as `User.auditTrail` asks for it (a loader key)."""

    user_id: int
    request: PageRequest


def require_auditor(caller: Identity | None, doing: str) -> Identity:
    """The caller when an admin or a service; UNAUTHENTICATED without one, else FORBIDDEN."""
    return caller_with_role(
        caller, ADMIN, SERVICE, doing=doing, hint="ask an administrator for what you need to know."
    )


class AuditService:
    """What `caller` (None: an anonymous caller) may do with the audit log: read it, when an
    admin or a service. The loader methods (`get_many`, `trails`) read for every caller alike:
    resolvers check `require_reader` / `visible` before a caller sees their results."""

    def __init__(self, db: RequestDb, *, caller: Identity | None = None) -> None:
        self.db = db
        self.caller = caller

    def require_reader(self, doing: str = "reading the audit log") -> Identity:
        """The caller, when it may read the audit log (UNAUTHENTICATED, FORBIDDEN)."""
        return require_auditor(self.caller, doing)

    def visible(self, row: AuditLogRow | None) -> AuditLogRow | None:
        """`row` when the caller may read the audit log, else None (an entity nobody else sees)."""
        return row if is_privileged(self.caller) else None

    async def get_many(self, row_ids: Sequence[int]) -> list[AuditLogRow | None]:
        """Rows in the order of `row_ids` (None where missing), in one query.

        Not checked for the caller (a request's loaders are shared by its resolvers)."""
        async with self.db.read() as session:
            found = await repository.get_many(session, list(set(row_ids)))
        return [found.get(row_id) for row_id in row_ids]

    async def trails(self, keys: Sequence[TrailKey]) -> list[Page[AuditLogRow]]:
        """Each key's page; keys that differ only by user share two queries.

        Not checked for the caller (a request's loaders are shared by its resolvers)."""
        pages: dict[TrailKey, Page[AuditLogRow]] = {}
        groups: dict[PageRequest, set[int]] = {}
        for key in keys:
            groups.setdefault(key.request, set()).add(key.user_id)
        async with self.db.read() as session:
            for request, user_ids in groups.items():
                found = await repository.trails_by_users(session, sorted(user_ids), request)
                for user_id, page in found.items():
                    pages[TrailKey(user_id, request)] = page
        return [pages[key] for key in keys]

    async def list_page(
        self,
        *,
        page: int = 1,
        page_size: int = 20,
        actor_id: object | None = None,
        entity_type: str | None = None,
        entity_id: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Page[AuditLogRow]:
        """A page of rows, newest first; every filter given must hold, times inclusive.

        VALIDATION_FAILED (field `from`) when `since` is later than `until`. Admins and services
        only (UNAUTHENTICATED, FORBIDDEN).
        """
        self.require_reader()
        values = require_valid(
            {
                "range": clean_time_range(since, until),
                "entityType": exact_text(entity_type, "entityType", MAX_FILTER_LENGTH),
                "entityId": exact_text(entity_id, "entityId", MAX_FILTER_LENGTH),
                "action": exact_text(action, "action", MAX_FILTER_LENGTH),
            }
        )
        request = page_request(page, page_size)
        actor_user_id = None if actor_id is None else parse_id(actor_id)
        if actor_id is not None and actor_user_id is None:
            # No user has a malformed id, so no row has it as actor.
            return Page(items=[], request=request, total=0)
        since, until = values["range"]
        where = AuditFilter(
            actor_user_id=actor_user_id,
            entity_type=entity_type,
            entity_id=entity_id,
            action=action,
            since=since,
            until=until,
        )
        async with self.db.read() as session:
            return await repository.list_page(session, request, where)

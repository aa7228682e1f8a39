"""The audit log over REST: `GET /api/v1/audit-logs`, the `auditLogs` operation of the audit
subgraph (admins and services), every event the system published as one row, newest first.

`before` and `after` are answered as the event carried them: the keys inside them are not
renamed (the rest of the answer is snake_case, as everywhere).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, model_validator

from gateway.rest.case import reference_as_id
from gateway.rest.schemas import Many, responses
from gateway.rest.shim import Operation, Shim
from gateway.rest.types import (
    DEFAULT_PAGE_SIZE,
    MAX_ID,
    PageNumber,
    PageSize,
    graph_id,
    page_variables,
)

AUDIT_PATH = "/api/v1/audit-logs"
#: The audit table's column widths (subgraphs/audit/models.py): longer never matches.
MAX_NAME_LENGTH = 100
#: Printable text: no control characters (NUL above all, which databases refuse).
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"


def _in_utc(moment: datetime) -> datetime:
    """The time in UTC (a time without a zone is taken as UTC): every time the graph compares
    is one, and a zone's offset may carry the first or last day out of range."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range once converted to UTC") from None


def _iso_only(value: Any) -> Any:
    """Refuse numbers: pydantic would read `0.5` as seconds since 1970, the document says
    `date-time`."""
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("must be an ISO 8601 date-time such as 2026-01-31T23:59:59Z")
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
#: A time filter: ISO 8601, sent to the graph in UTC.
_Time = Annotated[datetime, BeforeValidator(_iso_only), AfterValidator(_in_utc)]


def _text_filter(what: str, example: str) -> Any:
    return Query(
        min_length=1,
        max_length=MAX_NAME_LENGTH,
        pattern=_PRINTABLE,
        description=f"Only rows with this {what} (exactly).",
        examples=[example],
    )


class AuditLog(BaseModel):
    """One event as it happened; never changed."""

    #: JSON the events carried, answered as it is (`shape` renames no key inside)
    json_fields: ClassVar[tuple[str, ...]] = ("before", "after")

    id: int = Field(examples=[1])
    actor_subject: str | None = Field(
        default=None,
        description="Who did it: the subject of the caller's token as the event carried it "
        "(`user:7`, a client id, a service); null when unknown.",
        examples=["user:7"],
    )
    actor_id: int | None = Field(
        default=None,
        description="The acting user's id; null when the actor was not a user.",
        examples=[7],
    )
    action: str = Field(description="The event type.", examples=["order.status_changed"])
    entity_type: str = Field(examples=["Order"])
    entity_id: str = Field(examples=["12"])
    before: Any = Field(default=None, description="The state before; null for creations.")
    after: Any = Field(default=None, description="The state after; null for deletions.")
    request_id: str | None = None
    timestamp: datetime = Field(description="When it happened.")
    source: str = Field(description="The service that published the event.", examples=["orders"])

    @model_validator(mode="before")
    @classmethod
    def _actor(cls, value: Any) -> Any:
        return reference_as_id(value, "actor", "actor_id")


_ROW = (
    "{ id actorSubject action entityType entityId before after requestId timestamp source"
    " actor { id } }"
)
LIST = Operation(
    "AuditLogs",
    "query AuditLogs($page: Int!, $pageSize: Int!, $actorId: ID, $entityType: String,"
    " $entityId: String, $action: String, $from: DateTime, $to: DateTime) {"
    " auditLogs(page: $page, pageSize: $pageSize, actorId: $actorId, entityType: $entityType,"
    " entityId: $entityId, action: $action, from: $from, to: $to) {"
    f" items {_ROW} pageInfo {{ page pageSize totalPages totalCount }} }} }}",
    "auditLogs",
)


def audit_router(shim: Shim) -> APIRouter:
    """The audit endpoints."""
    router = APIRouter(prefix=AUDIT_PATH, tags=["audit"])

    @router.get(
        "",
        operation_id="listAuditLogs",
        summary="Audit rows, newest first; every filter given must hold (admins and services)",
        responses=responses(Many[AuditLog]),
    )
    async def list_audit_logs(
        request: Request,
        page: PageNumber = 1,
        page_size: PageSize = DEFAULT_PAGE_SIZE,
        actor_id: Annotated[
            int | None,
            Query(ge=1, le=MAX_ID, description="Rows whose actor is this user (`user:<id>`)."),
        ] = None,
        entity_type: Annotated[str | None, _text_filter("entity type", "Order")] = None,
        entity_id: Annotated[str | None, _text_filter("entity id", "12")] = None,
        action: Annotated[str | None, _text_filter("action", "order.created")] = None,
        since: Annotated[
            _Time | None,
            Query(
                alias="from",
                description="Rows from this time on, inclusive (ISO 8601; UTC without a zone). "
                "Not later than `to`.",
                examples=["2025-01-01T00:00:00Z"],
            ),
        ] = None,
        until: Annotated[
            _Time | None,
            Query(
                alias="to",
                description="Rows up to this time, inclusive (ISO 8601; UTC without a zone).",
                examples=["2025-12-31T23:59:59Z"],
            ),
        ] = None,
    ) -> JSONResponse:
        variables = page_variables(
            page,
            page_size,
            actorId=graph_id(actor_id),
            entityType=entity_type,
            entityId=entity_id,
            action=action,
            **{
                "from": since.isoformat() if since is not None else None,
                "to": until.isoformat() if until is not None else None,
            },
        )
        return await shim.page(request, LIST, variables, AuditLog)

    return router

"""What every REST handler does: run one named operation, then shape its answer.

A handler names its `Operation`, builds the variables from the request and calls one of
`Shim.one`, `Shim.page`, `Shim.created` or `Shim.deleted`; a failed operation raises
`ShimFailure`, answered by the handler registered in `errors.install_error_handlers`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateway.rest.case import snake_keys
from gateway.rest.envelope import failure, success
from gateway.rest.idempotent import Act, Idempotency
from gateway.rest.results import ShimFailure, field_data
from gateway.rest.runner import OperationRunner

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Operation:
    """One named GraphQL operation and the root field whose value the endpoint answers with."""

    name: str
    document: str
    field: str


def shape(model: type[M], value: Mapping[str, Any]) -> dict[str, Any]:
    """A GraphQL object as the REST answer's item: snake_case keys, as `model` says. Fields
    the model names in `json_fields` (a ClassVar) hold JSON the caller sent in: kept as it is,
    keys and all."""
    raw: tuple[str, ...] = getattr(model, "json_fields", ())
    renamed = snake_keys({key: item for key, item in value.items() if key not in raw})
    kept = {key: value[key] for key in raw if key in value}
    shaped: dict[str, Any] = model.model_validate({**renamed, **kept}).model_dump(mode="json")
    return shaped


def not_found(what: str, key: object) -> ShimFailure:
    """404 for the item `what` with `key`."""
    return ShimFailure(failure(404, "NOT_FOUND", f"No {what} {key}, or not one you may see."))


class Shim:
    """Runs operations for the handlers through the gateway's pipeline (`run`)."""

    def __init__(self, run: OperationRunner, idempotency: Idempotency | None = None) -> None:
        self.run = run
        self.idempotency = idempotency

    async def idempotent(
        self,
        request: Request,
        key: str | None,
        body: BaseModel | None,
        act: Act,
        transient: frozenset[int] = frozenset(),
    ) -> Response:
        """`act()` guarded by the request's `Idempotency-Key` (when keys are kept); answers with
        a status in `transient` are not kept (see `Idempotency.run`)."""
        if self.idempotency is None or key is None:
            return await act()
        return await self.idempotency.run(request, key, body, act, transient)

    async def value(
        self, request: Request, operation: Operation, variables: dict[str, Any] | None = None
    ) -> Any:
        """The operation's field; `ShimFailure` with the REST error when it failed."""
        result = await self.run(request, operation.document, variables, operation.name)
        return field_data(result, operation.field)

    async def one(
        self,
        request: Request,
        operation: Operation,
        variables: dict[str, Any] | None,
        model: type[BaseModel],
        *,
        missing: tuple[str, object] | None = None,
    ) -> JSONResponse:
        """200 with the item; 404 (`missing` = what and which) when the field is null."""
        item = await self.value(request, operation, variables)
        if item is None and missing is not None:
            raise not_found(*missing)
        return success(shape(model, item))

    async def page(
        self,
        request: Request,
        operation: Operation,
        variables: dict[str, Any],
        model: type[BaseModel],
    ) -> JSONResponse:
        """200 with one page of items and its `meta`."""
        found = await self.value(request, operation, variables)
        items = [shape(model, item) for item in found["items"]]
        return success(items, meta=snake_keys(found["pageInfo"]))

    async def created(
        self,
        request: Request,
        operation: Operation,
        variables: dict[str, Any],
        model: type[BaseModel],
        location: Callable[[dict[str, Any]], str],
    ) -> JSONResponse:
        """201 with the new item and its `Location`."""
        item = shape(model, await self.value(request, operation, variables))
        return success(item, status=201, headers={"Location": location(item)})

    async def deleted(
        self, request: Request, operation: Operation, variables: dict[str, Any], what: str, key: int
    ) -> JSONResponse:
        """200 `{"id", "deleted": true}`; 404 when there was nothing to delete."""
        if not await self.value(request, operation, variables):
            raise not_found(what, key)
        return success({"id": key, "deleted": True})

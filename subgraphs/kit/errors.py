"""GraphQL errors as clients see them: our `AppError`s keep code and field, the rest is INTERNAL.

A resolver raises `common.errors.AppError` subclasses; `AppErrorExtension` turns them into errors
whose `extensions` are `AppError.extensions()`. Any other exception is a bug: it is logged with its
traceback and the client gets code INTERNAL and a generic message carrying the request id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import asyncpg
from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from common.errors import AppError
from common.request_id import current_request_id, new_request_id

logger = logging.getLogger(__name__)

BAD_DATA_MESSAGE = (
    "A value in this request cannot be stored: a number is out of range or a text holds a "
    "character that is not allowed (such as NUL). Check the arguments and send it again."
)
#: Codes for errors the GraphQL machinery raises before any resolver runs (Apollo's names).
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


def internal_message(request_id: str) -> str:
    """What a client reads when we failed; the id lets support find the logged traceback."""
    return f"Internal error. Quote request id {request_id} when you report it."


def client_error(error: GraphQLError) -> GraphQLError:
    """The error a client may see in place of `error`."""
    original = error.original_error
    if isinstance(original, AppError):
        return _replace(error, original.message, original.extensions())
    if original is not None and _is_bad_data(original):
        # The request carried a value the database cannot hold (a number out of its column's
        # range, text with a NUL character): the client's to mend, not a bug of ours.
        logger.warning("value refused by the database: %s", _first_line(original))
        return _replace(error, BAD_DATA_MESSAGE, {"code": "VALIDATION_FAILED"})
    if original is not None and not isinstance(original, GraphQLError):
        request_id = current_request_id() or new_request_id()
        logger.error(
            "unhandled error in resolver",
            exc_info=(type(original), original, original.__traceback__),
            extra={"request_id": request_id, "graphql_path": error.path},
        )
        return _replace(error, internal_message(request_id), {"code": "INTERNAL"})
    if "code" not in (error.extensions or {}):
        code = PARSE_FAILED if isinstance(error, GraphQLSyntaxError) else VALIDATION_FAILED
        return _replace(error, error.message, {**(error.extensions or {}), "code": code})
    return error


def _is_bad_data(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) is the database refusing a value (SQLSTATE class 22)."""
    seen: BaseException | None = exc
    for _ in range(8):  # SQLAlchemy wraps the driver's error in one or two layers
        if seen is None:
            return False
        if isinstance(seen, asyncpg.exceptions.DataError):
            return True
        seen = seen.__cause__ or getattr(seen, "orig", None)
    return False


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def _replace(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=extensions,
    )


class AppErrorExtension(SchemaExtension):
    """Rewrites every error of an operation's result with `client_error`."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [client_error(error) for error in errors]

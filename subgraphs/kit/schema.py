"""The federation schema every subgraph builds, and the SDL it offers for composition."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import strawberry
from graphql import GraphQLError
from strawberry.printer import print_schema
from strawberry.types import ExecutionContext
from strawberry.types.graphql import OperationType

from subgraphs.kit.boundary import guard_arguments
from subgraphs.kit.cache_control import CacheHint, cache_control_extension
from subgraphs.kit.errors import AppErrorExtension, client_error

#: Pinned so that a Strawberry upgrade cannot silently change the SDL checked in under schema/.
FEDERATION_VERSION: Final = "2.5"


class ServiceSchema(strawberry.federation.Schema):
    """A federation v2 schema whose errors are logged by `AppErrorExtension`, not here."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry's default logs every error with a traceback, including the validation and
        # not-found errors users cause; AppErrorExtension logs only the unexpected ones.
        # Subscription events do not pass through the extension's `on_operation`: their errors
        # are rewritten here, in place, before they are sent.
        if _is_subscription(execution_context):
            errors[:] = [client_error(error) for error in errors]


def _is_subscription(execution_context: ExecutionContext | None) -> bool:
    """Whether the operation is a subscription (False when it did not even parse)."""
    if execution_context is None or execution_context.graphql_document is None:
        return False
    try:
        return execution_context.operation_type == OperationType.SUBSCRIPTION
    except RuntimeError:  # no operation to tell (a document without one)
        return False


def build_schema(
    *,
    query: type,
    mutation: type | None = None,
    subscription: type | None = None,
    types: Iterable[type] = (),
    cache_hints: Mapping[str, CacheHint] | None = None,
) -> ServiceSchema:
    """A federation v2 schema with the shared error handling and input boundary; with
    `cache_hints`, answers say in `Cache-Control` what the gateway may cache
    (`subgraphs.kit.cache_control`), else every answer is uncacheable (no header)."""
    extensions: list[Any] = [AppErrorExtension]
    if cache_hints is not None:
        extensions.append(cache_control_extension(cache_hints))
    schema = ServiceSchema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        types=list(types),
        extensions=extensions,
        federation_version=FEDERATION_VERSION,
    )
    guard_arguments(schema._schema)
    return schema


def print_sdl(schema: strawberry.federation.Schema) -> str:
    """The subgraph SDL with federation directives: what `_service { sdl }` answers."""
    return print_schema(schema)

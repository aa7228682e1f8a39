"""The federation schema every subgraph builds, and the SDL it offers for composition."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import strawberry
from graphql import GraphQLError
from strawberry.printer import print_schema
from strawberry.types import ExecutionContext

from subgraphs.kit.boundary import guard_arguments
from subgraphs.kit.cache_control import CacheHint, cache_control_extension
from subgraphs.kit.errors import AppErrorExtension

#: Pinned so that a Strawberry upgrade cannot silently change the SDL checked in under schema/.
FEDERATION_VERSION: Final = "2.5"


class ServiceSchema(strawberry.federation.Schema):
    """A federation v2 schema whose errors are logged by `AppErrorExtension`, not here."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry's default logs every error with a traceback, including the validation and
        # not-found errors users cause; AppErrorExtension logs only the unexpected ones.
        return None


def build_schema(
    *,
    query: type,
    mutation: type | None = None,
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
        types=list(types),
        extensions=extensions,
        federation_version=FEDERATION_VERSION,
    )
    guard_arguments(schema._schema)
    return schema


def print_sdl(schema: strawberry.federation.Schema) -> str:
    """The subgraph SDL with federation directives: what `_service { sdl }` answers."""
    return print_schema(schema)

"""Compare the API schema of a new composition with that of a supergraph already served.

`find_changes(old, new)` lists every change, each `BREAKING`, `DANGEROUS` or `SAFE`, with its schema
coordinate (https://spec.graphql.org/draft/#sec-Schema-Coordinates) and a one-line explanation.
"""

from __future__ import annotations

from graphql import GraphQLSchema

from common.federation import api_schema_of

from .changes import graphql_core_changes
from .deprecations import deprecation_changes
from .model import Change, Level
from .root_types import root_type_changes

__all__ = ["Change", "Level", "compare_supergraphs", "find_changes"]


def find_changes(old: GraphQLSchema, new: GraphQLSchema) -> list[Change]:
    """Every change from `old` to `new`, worst first, then by coordinate."""
    found = graphql_core_changes(old, new)
    found += deprecation_changes(old, new)
    found += root_type_changes(old, new)
    return sorted(found, key=Change.sort_key)


def compare_supergraphs(old_supergraph: str, new_supergraph: str) -> list[Change]:
    """The changes between the API schemas of two supergraph SDLs (`SupergraphError` if invalid)."""
    return find_changes(api_schema_of(old_supergraph), api_schema_of(new_supergraph))

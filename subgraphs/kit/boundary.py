"""The subgraphs' input boundary: every string argument is checked before its resolver runs.

A NUL, half of a surrogate pair or more than `MAX_ARGUMENT_LENGTH` characters in any string of
any argument (nested input objects and lists included) refuses the field with VALIDATION_FAILED
naming each bad field, so no domain can forget it and a new argument is covered the day it is
added. Each field's own bounds stay the domain's rule (`subgraphs.kit.text`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    GraphQLFieldResolver,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    default_field_resolver,
)

from common.errors import FieldProblem, ValidationFailed
from subgraphs.kit.text import argument_problem

#: The argument whose fields the domains name bare (`email`, not `input.email`).
INPUT_ARGUMENT = "input"


def argument_problems(arguments: Mapping[str, Any]) -> list[FieldProblem]:
    """A problem for each string in `arguments` (as graphql-core coerced them) that no field
    may take; fields named as the domains name them (`email`, `items[0].productId`, `search`)."""
    problems = []
    for name, value in arguments.items():
        prefix = "" if name == INPUT_ARGUMENT and isinstance(value, Mapping) else name
        for path, text in _strings(value, prefix):
            problem = argument_problem(text)
            if problem is not None:
                problems.append(FieldProblem(path or name, problem))
    return problems


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def guard_arguments(schema: GraphQLSchema) -> None:
    """Put the check in front of the resolver of every field that takes arguments.

    Only those fields are wrapped: the many fields without arguments keep their resolvers as
    they are, so the boundary costs nothing where there is nothing to check (a schema extension's
    `resolve` hook would wrap every field of every answer).
    """
    for named in schema.type_map.values():
        if isinstance(named, GraphQLObjectType) and not named.name.startswith("__"):
            for field in named.fields.values():
                if field.args:
                    field.resolve = _guarded(field.resolve or default_field_resolver)


def _guarded(resolve: GraphQLFieldResolver) -> GraphQLFieldResolver:
    def resolver(root: Any, info: GraphQLResolveInfo[Any], **arguments: Any) -> Any:
        problems = argument_problems(arguments)
        if problems:
            raise ValidationFailed.of(problems)
        return resolve(root, info, **arguments)

    return resolver

"""Errors about input values (variables, literals) that say what is wrong and where, never what
was sent.

graphql-core's messages repeat the value they refused (`String cannot represent a non string
value: 12345`, `... found: {'login': 'ada', 'password': 'hunter2'}`), and a password typed in
the wrong place would come back in the answer, the browser's console and every log on the way.
Here each problem is rebuilt from graphql-core's report (which kind of problem, at which path)
and the schema (which type was expected there): only schema names, the path and, for a key the
input type does not define, that key when it is a GraphQL name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLInputType,
    GraphQLSchema,
    OperationDefinitionNode,
    get_nullable_type,
    is_input_object_type,
    is_list_type,
    is_non_null_type,
    type_from_ast,
)
from graphql.execution.values import get_variable_values
from graphql.pyutils import Undefined
from graphql.utilities.validate_input_value import validate_input_value

from gateway.policy.errors import BAD_USER_INPUT, PolicyError

#: graphql-core's messages, matched at their start only (what follows may quote the value)
_NAME = r"[_A-Za-z][_0-9A-Za-z]{0,63}"
_MISSING = re.compile(r"Expected a value of non-null type '[^']*' to be provided")
_NOT_NULL = re.compile(r"Expected value of non-null type '[^']*' not to be (?:None|null)")
_REQUIRED = re.compile(rf"Expected value of type '[^']*' to include required field '({_NAME})'")
_UNKNOWN = re.compile(r"Expected value of type '[^']*' not to include unknown field")
_UNKNOWN_NAMED = re.compile(rf"{_UNKNOWN.pattern} '({_NAME})'[.,]")
_NOT_OBJECT = re.compile(r"Expected value of type '[^']*' to be an object")
_ONE_OF = re.compile(r"Within OneOf Input Object type '[^']*', exactly one field")
#: errors reported per request at most (graphql-core would report one per bad value)
MAX_INPUT_ERRORS = 20


def type_at(root: GraphQLInputType, path: Sequence[str | int]) -> GraphQLInputType | None:
    """The input type expected at `path` (field names and list indexes) under `root`."""
    current: Any = root
    for step in path:
        nullable = get_nullable_type(current)
        if isinstance(step, int) and is_list_type(nullable):
            current = nullable.of_type
        elif isinstance(step, str) and is_input_object_type(nullable) and step in nullable.fields:
            current = nullable.fields[step].type
        else:
            return None
    return current  # type: ignore[no-any-return]


def input_problem(message: str, root: GraphQLInputType, path: Sequence[str | int]) -> str:
    """What graphql-core's `message` about the value at `path` says is wrong, without the value."""
    expected = type_at(root, path)
    of_type = f"'{expected}'" if expected is not None else "the type the schema expects"
    if _MISSING.match(message):
        return f"must be given (type {of_type})"
    if _NOT_NULL.match(message):
        return f"must not be null (type {of_type})"
    if required := _REQUIRED.match(message):
        return f"misses the required field '{required[1]}' of {of_type}"
    if unknown := _UNKNOWN_NAMED.match(message):
        return f"has the field '{unknown[1]}', which {of_type} does not define"
    if _UNKNOWN.match(message):
        return f"has a field that {of_type} does not define"
    if _NOT_OBJECT.match(message):
        return f"must be an object of type {of_type}"
    if _ONE_OF.match(message):
        return f"must set exactly one field of {of_type}, and not to null"
    return f"must be a value of type {of_type}"


def printed_path(path: Sequence[str | int]) -> str:
    """`input.items[0].quantity` from `["input", "items", 0, "quantity"]`."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else f".{step}" if text else step
    return text


def coerce_variables(
    schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Mapping[str, Any]
) -> dict[str, Any]:
    """The operation's variables coerced to their types; `PolicyError` (400 `BAD_USER_INPUT`)
    naming each bad variable and where in it the problem is, never its value."""
    definitions = operation.variable_definitions or ()
    coerced = get_variable_values(schema, definitions, dict(inputs), hide_suggestions=True)
    if not isinstance(coerced, list):
        return coerced.coerced
    errors: list[dict[str, Any]] = []
    for definition in definitions:
        name = definition.variable.name.value
        type_: Any = type_from_ast(schema, definition.type)
        value = inputs.get(name, Undefined)
        if type_ is None or (value is Undefined and definition.default_value is not None):
            continue
        if value is Undefined and is_non_null_type(type_):
            message = f"Variable '${name}' of type '{type_}' was not provided."
            errors.append(dict(GraphQLError(message, definition).formatted))
            continue
        problems = _variable_problems(name, type_, value)
        errors += (dict(GraphQLError(m, definition).formatted) for m in problems)
    if not errors:  # graphql-core refused something the walk does not see (nesting too deep)
        errors = [{"message": error.message} for error in coerced if "$" not in error.message]
        errors = errors or [{"message": "The variables do not match their declared types."}]
    errors = errors[:MAX_INPUT_ERRORS]
    raise PolicyError(400, BAD_USER_INPUT, errors[0]["message"], errors=errors)


def _variable_problems(name: str, type_: GraphQLInputType, value: Any) -> list[str]:
    """One message per problem of the variable `name`'s value, none of them quoting it."""
    problems: list[str] = []

    def report(error: GraphQLError, path: list[str | int]) -> None:
        where = f" at '{printed_path([name, *path])}'" if path else ""
        problem = input_problem(error.message, type_, path)
        problems.append(f"Variable '${name}' has an invalid value{where}: {problem}.")

    validate_input_value(value, type_, report, hide_suggestions=True)
    return problems

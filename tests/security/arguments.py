"""Every string argument of the API schema, and a valid operation around each.

Derived from the schema the gateway serves (schema/supergraph.graphql), so an argument added
tomorrow is probed by the tests that use this the day it appears.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    NameNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    get_named_type,
    is_composite_type,
    parse_type,
    print_ast,
    value_from_ast_untyped,
    visit,
)
from graphql.pyutils import Undefined

from common.federation.api_schema import api_schema_of
from tests.support.stack import SUPERGRAPH, RunningStack

#: Scalars whose values travel as text.
TEXT_SCALARS = frozenset({"String", "ID"})
#: A harmless valid value of each scalar the API uses.
SAMPLES: dict[str, Any] = {
    "String": "probe",
    "ID": "1",
    "Int": 1,
    "Float": 1.0,
    "Boolean": False,
    "DateTime": "2024-01-01T00:00:00+00:00",
    "JSON": {},
}

Path = tuple[str | int, ...]


def api_schema() -> GraphQLSchema:
    """The API schema clients see (what the gateway serves)."""
    return api_schema_of(SUPERGRAPH.read_text())


@dataclass(frozen=True)
class StringArgument:
    """One place a client can put text: a root field's argument, or a field inside it."""

    operation: str  # "query" or "mutation"
    field: str
    argument: str
    path: Path  # inside the argument's value: input fields, 0 for a list's item

    def __str__(self) -> str:
        return f"{self.field}({self.argument}{_path_text(self.path)})"

    @property
    def field_name(self) -> str:
        """How the subgraphs name it in VALIDATION_FAILED (`email`, `items[0].productId`)."""
        text = _path_text(self.path)
        if self.argument == "input" and self.path and isinstance(self.path[0], str):
            return text.lstrip(".")
        return f"{self.argument}{text}"


def _path_text(path: Path) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)


def string_arguments(
    schema: GraphQLSchema, operations: tuple[str, ...] = ("query", "mutation")
) -> list[StringArgument]:
    """Every string (String or ID) a client can send to a root field of `operations`, nested
    ones included."""
    found = []
    for operation in operations:
        root = _root(schema, operation)
        for name, field in root.fields.items():
            for arg_name, argument in field.args.items():
                for path in _text_paths(argument.type, (), frozenset()):
                    found.append(StringArgument(operation, name, arg_name, path))
    return found


def fields_with_arguments_below_the_root(schema: GraphQLSchema) -> list[str]:
    """`Type.field` of every non-root field that takes a string argument (none today; a probe
    for them would need a path to reach them). Subscription fields are roots too: their
    arguments are probed over Server-Sent Events (`subscription_arguments`)."""
    roots = {schema.query_type, schema.mutation_type, schema.subscription_type}
    found = []
    for type_ in schema.type_map.values():
        if isinstance(type_, GraphQLObjectType) and type_ not in roots:
            if type_.name.startswith("__"):
                continue
            for name, field in type_.fields.items():
                if any(_text_paths(a.type, (), frozenset()) for a in field.args.values()):
                    found.append(f"{type_.name}.{name}")
    return found


def _text_paths(type_: GraphQLInputType, path: Path, seen: frozenset[str]) -> list[Path]:
    if isinstance(type_, GraphQLNonNull):
        return _text_paths(type_.of_type, path, seen)
    if isinstance(type_, GraphQLList):
        return _text_paths(type_.of_type, (*path, 0), seen)
    if isinstance(type_, GraphQLInputObjectType):
        if type_.name in seen:
            return []
        return [
            found
            for name, field in type_.fields.items()
            for found in _text_paths(field.type, (*path, name), seen | {type_.name})
        ]
    return [path] if get_named_type(type_).name in TEXT_SCALARS else []


def sample(type_: GraphQLInputType) -> Any:
    """A valid value of `type_`: input objects with their required fields only."""
    if isinstance(type_, GraphQLNonNull):
        return sample(type_.of_type)
    if isinstance(type_, GraphQLList):
        return [sample(type_.of_type)]
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: sample(field.type) for name, field in type_.fields.items() if _required(field)
        }
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    return SAMPLES[type_.name]


def with_value(value: Any, path: Path, type_: GraphQLInputType, text: str) -> Any:
    """`value` (a sample of `type_`) with `text` put at `path`, creating what is missing."""
    if not path:
        return text
    step, rest = path[0], path[1:]
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(step, int):
        assert isinstance(inner, GraphQLList)
        items = list(value) if isinstance(value, list) and value else [sample(inner.of_type)]
        items[0] = with_value(items[0], rest, inner.of_type, text)
        return items
    assert isinstance(inner, GraphQLInputObjectType)
    field_type = inner.fields[step].type
    current = dict(value) if isinstance(value, dict) else {}
    current[step] = with_value(current.get(step, sample(field_type)), rest, field_type, text)
    return current


def probe(
    schema: GraphQLSchema, target: StringArgument, texts: list[str], *, ids: str = "1"
) -> tuple[str, dict[str, Any]]:
    """One operation calling the argument's field once per text, with that text at its place
    (aliased `v0`, `v1`, ...; every value in variables; other required arguments valid
    samples, ids `ids`): the document and its variables."""
    field: GraphQLField = _root(schema, target.operation).fields[target.field]
    selection = " { __typename }" if is_composite_type(get_named_type(field.type)) else ""
    variables: dict[str, Any] = {}
    declared, calls = [], []
    for index, text in enumerate(texts):
        passed = []
        for name, argument in field.args.items():
            if name != target.argument and not _required(argument):
                continue
            value = _with_ids(sample(argument.type), argument.type, ids)
            if name == target.argument:
                value = with_value(value, target.path, argument.type, text)
            variable = f"v{index}_{name}"
            variables[variable] = value
            declared.append(f"${variable}: {argument.type}")
            passed.append(f"{name}: ${variable}")
        calls.append(f"v{index}: {target.field}({', '.join(passed)}){selection}")
    document = f"{target.operation} Probe({', '.join(declared)}) {{ {' '.join(calls)} }}"
    return document, variables


def _root(schema: GraphQLSchema, operation: str) -> GraphQLObjectType:
    root = {
        "query": schema.query_type,
        "mutation": schema.mutation_type,
        "subscription": schema.subscription_type,
    }[operation]
    assert root is not None, f"the API schema has no {operation} root"
    return root


def _with_ids(value: Any, type_: GraphQLInputType, ids: str) -> Any:
    """A sample with every ID replaced by `ids` (a row that does not exist, so that a probe of
    one argument never changes the rows another test relies on)."""
    if isinstance(type_, GraphQLNonNull):
        return _with_ids(value, type_.of_type, ids)
    if isinstance(type_, GraphQLList):
        return [_with_ids(item, type_.of_type, ids) for item in value]
    if isinstance(type_, GraphQLInputObjectType):
        return {key: _with_ids(item, type_.fields[key].type, ids) for key, item in value.items()}
    return ids if getattr(type_, "name", None) == "ID" else value


def _required(argument: GraphQLArgument | GraphQLInputField) -> bool:
    """Non-null without a default (graphql-core 3.3 keeps SDL defaults on the AST node)."""
    node = argument.ast_node
    has_default = argument.default_value is not Undefined or (
        node is not None and node.default_value is not None
    )
    return isinstance(argument.type, GraphQLNonNull) and not has_default


def first_event(
    stack: RunningStack,
    document: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, str, dict[str, Any] | None]:
    """A subscription over GraphQL over Server-Sent Events (escaped JSON, as `post`): the HTTP
    status, the body read (up to the first event) and that event's payload (None: none came)."""
    body = json.dumps({"query": document, "variables": variables or {}})
    sent = {
        **stack.default_headers,
        **(headers or {}),
        "Content-Type": "application/json",
        "Accept": "text/event-stream",
    }
    url = f"{stack.gateway_url}/graphql"
    with httpx.stream("POST", url, content=body, headers=sent, timeout=60) as response:
        read: list[str] = []
        for line in response.iter_lines():
            read.append(line)
            if line.startswith("data:"):
                return response.status_code, "\n".join(read), json.loads(line[5:])
        return response.status_code, "\n".join(read), None


def post(
    stack: RunningStack,
    document: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST a GraphQL request as JSON with every non-ASCII character escaped (`\\ud800`): the
    only way JSON carries half a surrogate pair, which UTF-8 cannot encode."""
    body = json.dumps({"query": document, "variables": variables or {}})
    sent = {**stack.default_headers, **(headers or {}), "Content-Type": "application/json"}
    return httpx.post(f"{stack.gateway_url}/graphql", content=body, headers=sent, timeout=60)


def as_variables(schema: GraphQLSchema, document: DocumentNode) -> tuple[str, dict[str, Any]]:
    """`document` with the value of every field argument moved into a variable of the
    argument's type, as clients send values: the document's text and the variables."""
    type_info = TypeInfo(schema)
    variables: dict[str, Any] = {}
    definitions: list[VariableDefinitionNode] = []

    class Extract(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> ArgumentNode | None:
            argument = type_info.get_argument()
            if argument is None or isinstance(node.value, VariableNode):
                return None
            name = f"v{len(definitions)}"
            variables[name] = value_from_ast_untyped(node.value)
            definitions.append(
                VariableDefinitionNode(
                    variable=VariableNode(name=NameNode(value=name)),
                    type=parse_type(str(argument.type)),
                )
            )
            return ArgumentNode(name=node.name, value=VariableNode(name=NameNode(value=name)))

    rewritten = visit(document, TypeInfoVisitor(type_info, Extract()))
    operations = [
        dataclasses.replace(
            definition,
            variable_definitions=(*(definition.variable_definitions or ()), *definitions),
        )
        if isinstance(definition, OperationDefinitionNode)
        else definition
        for definition in rewritten.definitions
    ]
    return print_ast(DocumentNode(definitions=tuple(operations))), variables


def errors_of(payload: Any) -> Iterator[dict[str, Any]]:
    """The errors of a GraphQL answer."""
    yield from (payload.get("errors") or []) if isinstance(payload, dict) else []

"""A generic Federation v2 (and v1) subgraph server for the scenario tests.

`python -m tests.federation.subgraph_server SCENARIO_DIR NAME=PORT [NAME=PORT ...]` serves every
subgraph of a scenario from one process, one uvicorn server per subgraph on its own port:

- `POST /graphql`: the subgraph, built with graphql-core from the scenario's SDL file
  (`subgraphs/<name>.graphql`) plus the federation definitions (`_Any`, `_Entity`, `_Service`,
  `_entities`, `_service`, `FieldSet`, `link__Import`, ...), resolved from the scenario's
  `data.py` (see `tests.federation.model`).
- `GET /_requests`: every request this subgraph received since the last reset (`count`, the
  bodies, and a process-wide sequence number `seq` to order requests across subgraphs).
- `POST /_requests/reset`: forget the recorded requests (of every subgraph of the process).
- `POST /_fail`: `{"mode": "http500" | "slow" | "errors" | "ok", "delay": s, "times": n}` makes
  the next `times` GraphQL requests (default: all until reset) of this subgraph fail.
- `GET /health`: 200 once the server is up.
"""

from __future__ import annotations

import asyncio
import copy
import importlib.util
import itertools
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    build_ast_schema,
    graphql,
    parse,
)
from graphql.language import DefinitionNode, TypeDefinitionNode, TypeExtensionNode
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.federation.fieldset import parse_field_set
from tests.federation.model import SubgraphData

_SEQUENCE = itertools.count(1)


# --------------------------------------------------------------------------- schema building


def _directives(node: Any, name: str) -> list[Any]:
    return [d for d in node.directives or () if d.name.value in (name, f"federation__{name}")]


def _arg(directive: Any, name: str) -> Any:
    for argument in directive.arguments or ():
        if argument.name.value == name:
            return argument.value
    return None


@dataclass
class EntityKey:
    fields: str
    resolvable: bool


@dataclass
class SubgraphSchema:
    """The executable schema of one subgraph and what federation needs to know about it."""

    name: str
    sdl: str
    schema: GraphQLSchema
    #: entity type name -> its @key field sets
    keys: dict[str, list[EntityKey]] = field(default_factory=dict)


_EXTENSION_TO_DEFINITION = {
    ObjectTypeExtensionNode: ObjectTypeDefinitionNode,
    InterfaceTypeExtensionNode: InterfaceTypeDefinitionNode,
}


def _definitions_for_orphan_extensions(document: DocumentNode) -> list[DefinitionNode]:
    """Federation 1 subgraphs `extend type User @key(...)` types defined elsewhere: turn each
    extension of a type the document does not define into a definition."""
    defined = {d.name.value for d in document.definitions if isinstance(d, TypeDefinitionNode)}
    result: list[DefinitionNode] = []
    for definition in document.definitions:
        kind = _EXTENSION_TO_DEFINITION.get(type(definition))
        if kind is not None and definition.name.value not in defined:  # type: ignore[attr-defined]
            defined.add(definition.name.value)  # type: ignore[attr-defined]
            definition = kind(
                name=definition.name,  # type: ignore[attr-defined]
                interfaces=definition.interfaces,  # type: ignore[attr-defined]
                directives=definition.directives,
                fields=definition.fields,  # type: ignore[attr-defined]
            )
        result.append(definition)
    return result


def build_subgraph_schema(name: str, sdl: str) -> SubgraphSchema:
    """The subgraph's SDL plus the federation definitions, as an executable graphql-core schema."""
    document = parse(sdl)
    definitions = _definitions_for_orphan_extensions(document)
    keys: dict[str, list[EntityKey]] = {}
    object_types: set[str] = set()
    defined: set[str] = set()
    has_query = False
    for definition in definitions:
        if isinstance(definition, TypeDefinitionNode | TypeExtensionNode):
            type_name = definition.name.value  # type: ignore[attr-defined]
            defined.add(type_name)
            if type_name == "Query":
                has_query = True
            if isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode):
                object_types.add(type_name)
            for key in _directives(definition, "key"):
                resolvable = _arg(key, "resolvable")
                keys.setdefault(type_name, []).append(
                    EntityKey(
                        fields=_arg(key, "fields").value,
                        resolvable=resolvable is None or resolvable.value,
                    )
                )
    entity_types = sorted(t for t in keys if t in object_types)
    extra = ["scalar _Any", "type _Service { sdl: String }"]
    for scalar in ("FieldSet", "_FieldSet", "link__Import", "federation__FieldSet"):
        if scalar not in defined:
            extra.append(f"scalar {scalar}")
    if "link__Purpose" not in defined:
        extra.append("enum link__Purpose { SECURITY EXECUTION }")
    query_fields = ["_service: _Service!"]
    if entity_types:
        extra.append(f"union _Entity = {' | '.join(entity_types)}")
        query_fields.insert(0, "_entities(representations: [_Any!]!): [_Entity]!")
    fields = "\n  ".join(query_fields)
    extra.append(f"{'extend type' if has_query else 'type'} Query {{\n  {fields}\n}}")
    full = DocumentNode(definitions=(*definitions, *parse("\n".join(extra)).definitions))
    schema = build_ast_schema(full, assume_valid_sdl=True)
    return SubgraphSchema(name=name, sdl=sdl, schema=schema, keys=keys)


# --------------------------------------------------------------------------- resolvers


def _matches(row: Any, selection: Mapping[str, Any], representation: Any) -> bool:
    """Whether `row` has the key values of `representation` for the (nested) key selection."""
    if not isinstance(row, Mapping) or not isinstance(representation, Mapping):
        return False
    for field_name, sub in selection.items():
        if field_name not in representation or field_name not in row:
            return False
        if sub:
            if not _matches(row[field_name], sub, representation[field_name]):
                return False
        elif row[field_name] != representation[field_name]:
            return False
    return True


class SubgraphResolvers:
    """Attaches the scenario's data and callables to one subgraph's schema."""

    def __init__(self, built: SubgraphSchema, data: SubgraphData) -> None:
        self.built = built
        self.data = data
        schema = built.schema
        for type_name, fields in data.resolvers.items():
            graphql_type = schema.get_type(type_name)
            if graphql_type is None or not hasattr(graphql_type, "fields"):
                raise ValueError(f"{built.name}: resolvers for unknown type {type_name}")
            for field_name, function in fields.items():
                if field_name not in graphql_type.fields:
                    raise ValueError(
                        f"{built.name}: resolver for unknown field {type_name}.{field_name}"
                    )
                graphql_type.fields[field_name].resolve = _wrap(function)
        query = schema.query_type
        assert query is not None
        query.fields["_service"].resolve = lambda *_: {"sdl": built.sdl}
        if "_entities" in query.fields:
            query.fields["_entities"].resolve = self._entities

    def _entities(self, _root: Any, info: Any, representations: list[Any]) -> list[Any]:
        return [self.resolve_reference(rep, info) for rep in representations]

    def resolve_reference(self, representation: Mapping[str, Any], info: Any) -> Any:
        type_name = representation.get("__typename")
        if not isinstance(type_name, str) or type_name not in self.built.keys:
            raise GraphQLError(f"{self.built.name}: not an entity type: {type_name!r}")
        custom = self.data.references.get(type_name)
        if custom is not None:
            found = custom(dict(representation), info)
            if found is None:
                return None
            return {"__typename": type_name, **representation, **found}
        rows = self.data.rows.get(type_name)
        if rows is None:
            # No table: the subgraph only adds fields to the entity; the representation is it.
            return dict(representation)
        for key in self.built.keys[type_name]:
            selection = parse_field_set(key.fields)
            for row in rows:
                if _matches(row, selection, representation):
                    # Required (external) fields arrive in the representation and win.
                    return {"__typename": type_name, **row, **representation}
        return None


def _wrap(function: Callable[..., Any]) -> Callable[..., Any]:
    def resolve(parent: Any, info: Any, **args: Any) -> Any:
        return function(parent, info, **args)

    return resolve


def default_resolver(parent: Any, info: Any, **args: Any) -> Any:
    """graphql-core's default resolver: `parent[field]`, or call it when it is callable."""
    if isinstance(parent, Mapping):
        value = parent.get(info.field_name)
    else:
        value = getattr(parent, info.field_name, None)
    if callable(value):
        return value(info, **args)
    return value


# --------------------------------------------------------------------------- HTTP


@dataclass
class FailureMode:
    mode: str = "ok"
    delay: float = 0.0
    times: int | None = None  # None: until reset


@dataclass
class SubgraphState:
    name: str
    resolvers: SubgraphResolvers
    requests: list[dict[str, Any]] = field(default_factory=list)
    failure: FailureMode = field(default_factory=FailureMode)


def _take_failure(state: SubgraphState) -> FailureMode | None:
    failure = state.failure
    if failure.mode == "ok":
        return None
    if failure.times is not None:
        if failure.times <= 0:
            state.failure = FailureMode()
            return None
        failure.times -= 1
    return copy.copy(failure)


def make_app(state: SubgraphState, all_states: list[SubgraphState]) -> Starlette:
    schema = state.resolvers.built.schema

    async def graphql_endpoint(request: Request) -> Response:
        try:
            body = await request.json()
        except json.JSONDecodeError:
            return JSONResponse({"errors": [{"message": "body is not JSON"}]}, status_code=400)
        state.requests.append({"seq": next(_SEQUENCE), **body})
        failure = _take_failure(state)
        if failure is not None:
            if failure.delay:
                await asyncio.sleep(failure.delay)
            if failure.mode == "http500":
                return Response("subgraph exploded", status_code=500, media_type="text/plain")
            if failure.mode == "errors":
                return JSONResponse(
                    {
                        "data": None,
                        "errors": [
                            {
                                "message": f"{state.name} is unavailable",
                                "extensions": {"code": "SUBGRAPH_DOWN"},
                            }
                        ],
                    }
                )
        result = await graphql(
            schema,
            body.get("query") or "",
            variable_values=body.get("variables"),
            operation_name=body.get("operationName"),
            field_resolver=default_resolver,
        )
        payload: dict[str, Any] = {}
        if result.errors:
            payload["errors"] = [error.formatted for error in result.errors]
        payload["data"] = result.data
        return JSONResponse(payload)

    async def requests_endpoint(_: Request) -> Response:
        return JSONResponse({"count": len(state.requests), "requests": state.requests})

    async def reset_endpoint(_: Request) -> Response:
        for each in all_states:
            each.requests.clear()
            each.failure = FailureMode()
        return JSONResponse({"ok": True})

    async def fail_endpoint(request: Request) -> Response:
        body = await request.json()
        state.failure = FailureMode(
            mode=body.get("mode", "ok"), delay=float(body.get("delay", 0)), times=body.get("times")
        )
        return JSONResponse({"ok": True})

    async def health(_: Request) -> Response:
        return JSONResponse({"status": "ok", "subgraph": state.name})

    return Starlette(
        routes=[
            Route("/graphql", graphql_endpoint, methods=["POST"]),
            Route("/_requests", requests_endpoint, methods=["GET"]),
            Route("/_requests/reset", reset_endpoint, methods=["POST"]),
            Route("/_fail", fail_endpoint, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
        ]
    )


def load_data_module(scenario_dir: Path) -> Any:
    """The scenario's `data.py` as a module (it need not be an importable package)."""
    path = scenario_dir / "data.py"
    spec = importlib.util.spec_from_file_location(f"scenario_data_{scenario_dir.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_states(scenario_dir: Path, names: list[str]) -> list[SubgraphState]:
    """One state (schema, resolvers, request log) per subgraph of the scenario."""
    module = load_data_module(scenario_dir)
    subgraphs: Mapping[str, SubgraphData] = module.SUBGRAPHS
    states = []
    for name in names:
        sdl = (scenario_dir / "subgraphs" / f"{name}.graphql").read_text()
        built = build_subgraph_schema(name, sdl)
        states.append(
            SubgraphState(name, SubgraphResolvers(built, subgraphs.get(name, SubgraphData())))
        )
    return states


async def serve(scenario_dir: Path, ports: dict[str, int]) -> None:
    states = build_states(scenario_dir, list(ports))
    servers = [
        uvicorn.Server(
            uvicorn.Config(
                make_app(state, states),
                host="127.0.0.1",
                port=ports[state.name],
                log_level="warning",
                access_log=False,
                lifespan="off",
            )
        )
        for state in states
    ]
    await asyncio.gather(*(server.serve() for server in servers))


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    scenario_dir = Path(argv[0])
    ports = {}
    for item in argv[1:]:
        name, _, port = item.partition("=")
        ports[name] = int(port)
    asyncio.run(serve(scenario_dir, ports))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Run a query plan against the subgraphs and build the client response.

Root fetches merge at the root; entity fetches build representations from the data at their
Flatten path and merge each answer back into the objects it belongs to: one `_entities` call per
Flatten, for all its paths (which entity fetches share a call is the plan's decision, made by the
planner's `merge_siblings` pass). A failed fetch leaves its fields absent and adds one error;
shaping then applies null propagation, to the fields authorization took out (`Removals`) too.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLObjectType, value_from_ast_untyped
from graphql import execute as graphql_execute

from gateway.execution.compiled import CompiledPlans
from gateway.execution.entity_types import EntityTypes
from gateway.execution.errors import (
    entity_fetch_errors,
    root_fetch_errors,
    unalias_paths,
    unavailable_error,
)
from gateway.execution.merge import (
    copy_json,
    deep_merge,
    merge_entity,
    merge_scalar_entity,
    rename_keys,
)
from gateway.execution.paths import ResponsePath, paths_at
from gateway.execution.removals import Removals
from gateway.execution.representations import EntityBatch
from gateway.planning import (
    Condition,
    Fetch,
    Flatten,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
)
from gateway.planning.fetches import REPRESENTATIONS
from gateway.supergraph import Supergraph
from gateway.transport import (
    SubgraphClient,
    SubgraphRequest,
    SubgraphResponse,
    SubgraphUnavailable,
)

GraphQLResponse = dict[str, Any]


@dataclass
class _Run:
    """The state of one plan execution."""

    #: variables as the client sent them (passed on to subgraphs as such)
    variables: Mapping[str, Any]
    #: with declared defaults filled in (for conditions)
    effective: Mapping[str, Any]
    headers: Mapping[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)


class PlanExecutor:
    """Executes query plans over one supergraph with one `SubgraphClient`."""

    def __init__(self, supergraph: Supergraph, client: SubgraphClient) -> None:
        self.supergraph = supergraph
        self.schema = supergraph.schema
        self.client = client
        self._compiled = CompiledPlans(supergraph.api_schema)
        self._entity_types = EntityTypes(supergraph)
        self._object_types: dict[str, bool] = {}

    async def execute(
        self,
        plan: QueryPlan,
        variables: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        removals: Removals | None = None,
    ) -> GraphQLResponse:
        """The GraphQL response (`data`, and `errors` when there are any) of one plan;
        `removals`: what authorization took out of its operation, answered null."""
        provided = dict(variables or {})
        run = _Run(provided, _with_defaults(plan, provided), dict(headers or {}))
        if plan.introspection is not None:
            await self._introspect(plan, run)
        if plan.node is not None:
            await self._run(plan.node, run)
        shape = self._compiled.shape(plan.operation, run.effective, removals)
        response: GraphQLResponse = {"data": shape.shape(run.data, run.errors)}
        if run.errors:
            response["errors"] = run.errors
        return response

    async def _run(self, node: PlanNode, run: _Run) -> None:
        if isinstance(node, Fetch):
            await self._root_fetch(node, run)
        elif isinstance(node, Flatten):
            await self._entity_fetch(node, run)
        elif isinstance(node, Sequence):
            for child in node.nodes:
                await self._run(child, run)
        elif isinstance(node, Parallel):
            await asyncio.gather(*(self._run(child, run) for child in node.nodes))
        elif isinstance(node, Condition):
            chosen = node.if_clause if run.effective.get(node.variable) else node.else_clause
            if chosen is not None:
                await self._run(chosen, run)

    async def _root_fetch(self, fetch: Fetch, run: _Run) -> None:
        response = await self._send(fetch, _used(fetch, run.variables), run)
        if response is None:
            return
        if response.data:
            data = response.data if response.owned else copy_json(response.data)
            if fetch.renames:
                rename_keys(data, fetch.renames)
            deep_merge(run.data, data)
        if response.errors:
            run.errors.extend(
                _client_errors(fetch, root_fetch_errors(response.errors, fetch.service))
            )

    async def _entity_fetch(self, node: Flatten, run: _Run) -> None:
        """One `_entities` call for the objects at every path of a Flatten node."""
        fetch = node.node
        assert fetch.requires is not None
        batch = EntityBatch()
        entity_type = self._entity_types.in_graph(fetch.service)
        collection = self._compiled.collection(node)
        for objects in collection.objects(run.data):
            batch.collect(objects, collection.picker, entity_type)
        if not batch.representations:
            return  # nothing to ask for: the parent field was null, skipped or failed
        variables = {REPRESENTATIONS: batch.representations, **_used(fetch, run.variables)}
        response = await self._send(fetch, variables, run)
        if response is None:
            return
        entities = (response.data or {}).get("_entities")
        if response.data is not None and (
            not isinstance(entities, list) or len(entities) != len(batch.representations)
        ):
            reason = "its _entities answer does not match the representations sent"
            run.errors.append(unavailable_error(SubgraphUnavailable(fetch.service, reason)))
            return
        # Client paths are worked out only for errors, before merging changes the data.
        targets = _with_paths(node, run.data, batch.targets) if response.errors else []
        if entities and not response.owned:
            entities = copy_json(entities)
        if entities and fetch.renames:
            rename_keys(entities, fetch.renames)
        is_object_type = self._is_object_type
        for index, entity in enumerate(entities or ()):
            if isinstance(entity, dict):
                objects = batch.targets[index]
                if len(objects) == 1:
                    merge_entity(objects[0], entity, is_object_type)
                    continue
                # An answer holding only scalars is shared (sharing it shares nothing
                # changeable); else the first object takes the answer itself, any other one
                # its own copy.
                if not any(isinstance(v, (dict, list)) for v in entity.values()):
                    merge_scalar_entity(objects, entity, is_object_type)
                    continue
                for position, obj in enumerate(objects):
                    answer = entity if position == 0 else copy_json(entity)
                    merge_entity(obj, answer, is_object_type)
        if response.errors:
            errors = entity_fetch_errors(response.errors, targets, fetch.service)
            run.errors.extend(_client_errors(fetch, errors))

    def _is_object_type(self, typename: str) -> bool:
        found = self._object_types.get(typename)
        if found is None:
            found = self._object_types[typename] = isinstance(
                self.schema.get_type(typename), GraphQLObjectType
            )
        return found

    async def _send(
        self, fetch: Fetch, variables: dict[str, Any], run: _Run
    ) -> SubgraphResponse | None:
        request = SubgraphRequest(
            subgraph=fetch.service,
            query=fetch.operation_text,
            variables=variables,
            operation_name=fetch.operation_name,
            is_mutation=fetch.operation_kind == "mutation",
            headers=run.headers,
        )
        try:
            return await self.client.execute(request)
        except SubgraphUnavailable as exc:
            run.errors.append(unavailable_error(exc))
            return None

    async def _introspect(self, plan: QueryPlan, run: _Run) -> None:
        """Answer root `__schema`, `__type` and `__typename` from the API schema."""
        assert plan.introspection is not None
        result = graphql_execute(
            self.supergraph.api_schema, plan.introspection, variable_values=dict(run.variables)
        )
        if inspect.isawaitable(result):
            result = await result
        if result.data:
            deep_merge(run.data, copy_json(result.data))
        run.errors.extend(dict(error.formatted) for error in result.errors or ())


def _with_paths(
    node: Flatten, data: dict[str, Any], targets: list[list[dict[str, Any]]]
) -> list[list[tuple[dict[str, Any], ResponsePath]]]:
    """The targets of an entity batch with their client paths; one that a parallel fetch has
    since replaced in the data is left out."""
    where = {id(obj): at for path in node.paths for obj, at in paths_at(data, path)}
    return [[(obj, where[id(obj)]) for obj in objects if id(obj) in where] for objects in targets]


def _client_errors(fetch: Fetch, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A fetch's errors with the keys it aliased given back in their paths."""
    if fetch.renames:
        unalias_paths(errors, {r.alias: r.response_key for r in fetch.renames})
    return errors


def _used(fetch: Fetch, variables: Mapping[str, Any]) -> dict[str, Any]:
    """The client variables this fetch uses, as the client sent them (omitted ones stay omitted,
    so the subgraph applies the default declared in the fetch operation)."""
    return {name: variables[name] for name in fetch.variable_usages if name in variables}


def _with_defaults(plan: QueryPlan, variables: Mapping[str, Any]) -> dict[str, Any]:
    """Variable values with declared defaults filled in, for evaluating `@skip`/`@include`."""
    effective = dict(variables)
    for definition in plan.operation.variable_definitions:
        name = definition.variable.name.value
        if name not in effective and definition.default_value is not None:
            effective[name] = value_from_ast_untyped(definition.default_value)
    return effective

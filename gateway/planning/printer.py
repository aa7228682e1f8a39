"""Print a query plan as readable text, in the style of Apollo's query plans.

Used by the plan tests as snapshots and returned in `extensions.queryPlan`.
"""

from __future__ import annotations

import json

from graphql import print_ast

from gateway.planning.nodes import (
    Fetch,
    Flatten,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
)
from gateway.planning.selections import Selection, to_selection_set

_INDENT = "  "


def print_plan(plan: QueryPlan) -> str:
    """The whole plan: `QueryPlan { ... }`."""
    if plan.node is None:
        return "QueryPlan {\n}"
    return "QueryPlan {\n" + _node(plan.node, 1) + "\n}"


def print_node(node: PlanNode) -> str:
    """One plan node and its children."""
    return _node(node, 0)


def _node(node: PlanNode, depth: int) -> str:
    pad = _INDENT * depth
    if isinstance(node, Fetch):
        return _fetch(node, depth)
    if isinstance(node, Flatten):
        paths = [".".join(path) for path in node.paths]
        where = f'path: "{paths[0]}"' if len(paths) == 1 else f"paths: {json.dumps(paths)}"
        return f"{pad}Flatten({where}) {{\n{_fetch(node.node, depth + 1)}\n{pad}}},"
    if isinstance(node, Sequence | Parallel):
        name = "Sequence" if isinstance(node, Sequence) else "Parallel"
        children = "\n".join(_node(child, depth + 1) for child in node.nodes)
        return f"{pad}{name} {{\n{children}\n{pad}}},"
    lines = [f"{pad}Condition(if: ${node.variable}) {{"]
    if node.if_clause is not None:
        lines += [f"{pad}{_INDENT}Then {{", _node(node.if_clause, depth + 2), f"{pad}{_INDENT}}}"]
    if node.else_clause is not None:
        lines += [f"{pad}{_INDENT}Else {{", _node(node.else_clause, depth + 2), f"{pad}{_INDENT}}}"]
    return "\n".join([*lines, f"{pad}}},"])


def _fetch(fetch: Fetch, depth: int) -> str:
    pad = _INDENT * depth
    inner = _INDENT * (depth + 1)
    body = _selections(fetch.selections, inner)
    if fetch.requires is not None:
        body = f"{_selections(fetch.requires, inner)} =>\n{body}"
    elif fetch.operation_kind != "query":
        body = f"{inner}{fetch.operation_kind} {body.lstrip()}"
    return f'{pad}Fetch(service: "{fetch.service}") {{\n{body}\n{pad}}},'


def _selections(selections: tuple[Selection, ...], pad: str) -> str:
    text = print_ast(to_selection_set(selections))
    return "\n".join(pad + line for line in text.splitlines())

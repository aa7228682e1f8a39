"""Planning: operation + supergraph -> query plan. Pure: no I/O, no clock."""

from gateway.planning.conditions import is_included
from gateway.planning.errors import OperationSelectionError, PlanningError
from gateway.planning.nodes import (
    Condition,
    Fetch,
    Flatten,
    Parallel,
    PlanNode,
    QueryPlan,
    Sequence,
)
from gateway.planning.normalize import normalize_operation, with_written_selections
from gateway.planning.operation import select_operation
from gateway.planning.overrides import enabled_override_labels, override_labels
from gateway.planning.planner import QueryPlanner, plan_normalized, plan_operation
from gateway.planning.printer import print_plan
from gateway.planning.selections import (
    Field,
    InlineFragment,
    NormalizedOperation,
    Selection,
    operation_document,
)

__all__ = [
    "Condition",
    "Fetch",
    "Field",
    "Flatten",
    "InlineFragment",
    "NormalizedOperation",
    "OperationSelectionError",
    "Parallel",
    "PlanNode",
    "PlanningError",
    "QueryPlan",
    "QueryPlanner",
    "Selection",
    "Sequence",
    "enabled_override_labels",
    "is_included",
    "normalize_operation",
    "operation_document",
    "override_labels",
    "plan_normalized",
    "plan_operation",
    "print_plan",
    "select_operation",
    "with_written_selections",
]

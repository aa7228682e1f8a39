"""Execution: run a query plan over SubgraphClients and shape the response to the operation."""

from gateway.execution.executor import GraphQLResponse, PlanExecutor
from gateway.execution.removals import Removal, Removals
from gateway.execution.shaping import ResponseShaper

__all__ = ["GraphQLResponse", "PlanExecutor", "Removal", "Removals", "ResponseShaper"]

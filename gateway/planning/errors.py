"""Errors raised while planning.

PlanningError              the operation cannot be planned over this supergraph
└── OperationSelectionError  no operation to run: unknown name, or several and no name given
"""

from __future__ import annotations


class PlanningError(Exception):
    """The operation cannot be planned; `code` is the GraphQL error code to report."""

    code = "QUERY_PLANNING_FAILED"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class OperationSelectionError(PlanningError):
    """The document has no operation matching the request's `operationName`."""

    code = "BAD_REQUEST"

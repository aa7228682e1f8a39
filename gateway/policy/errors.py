"""Refusals of the request policy: each has an HTTP status and an `extensions.code`.

PolicyError             refused before execution; `status` and `code` say why
"""

from __future__ import annotations

from typing import Any

#: the request body is larger than `GATEWAY_MAX_BODY_BYTES` (413)
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
#: the GraphQL document is larger than `GATEWAY_MAX_DOCUMENT_BYTES` (400)
DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"
#: the document has more lexical tokens than `GATEWAY_MAX_TOKENS` (400)
MAX_TOKENS_LIMIT = "MAX_TOKENS_LIMIT"
#: the document or operation is nested deeper than `GATEWAY_MAX_DEPTH` (400)
MAX_DEPTH_LIMIT = "MAX_DEPTH_LIMIT"
MAX_ALIASES_LIMIT = "MAX_ALIASES_LIMIT"
MAX_ROOT_FIELDS_LIMIT = "MAX_ROOT_FIELDS_LIMIT"
MAX_DIRECTIVES_LIMIT = "MAX_DIRECTIVES_LIMIT"
MAX_FIELDS_LIMIT = "MAX_FIELDS_LIMIT"
COST_ESTIMATED_TOO_EXPENSIVE = "COST_ESTIMATED_TOO_EXPENSIVE"
#: checking the document's fields can merge would take more than `GATEWAY_VALIDATION_BUDGET`
#: steps (400)
VALIDATION_BUDGET_EXCEEDED = "VALIDATION_BUDGET_EXCEEDED"
#: the request's JSON nests deeper than `GATEWAY_MAX_JSON_DEPTH` (400)
MAX_JSON_DEPTH_LIMIT = "MAX_JSON_DEPTH_LIMIT"
#: a variable's value does not fit its declared type (400)
BAD_USER_INPUT = "BAD_USER_INPUT"
#: a request a browser could send without a CORS preflight (400)
CSRF_ERROR = "CSRF_ERROR"
#: `__schema` / `__type` while introspection is off (400)
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
BATCHING_NOT_ENABLED = "BATCHING_NOT_ENABLED"
#: the `Authorization` header is not a valid bearer token (401)
UNAUTHENTICATED = "UNAUTHENTICATED"
BATCH_LIMIT_EXCEEDED = "BATCH_LIMIT_EXCEEDED"


class PolicyError(Exception):
    """A request refused before execution, with the GraphQL errors to return."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.errors = errors or [{"message": message}]
        for error in self.errors:
            error.setdefault("extensions", {})["code"] = code

    def body(self) -> dict[str, Any]:
        """The JSON response body."""
        return {"errors": self.errors}

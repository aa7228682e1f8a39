"""Request errors the HTTP layer answers with a status and a GraphQL error body.

RequestError            refused before execution; `status` and `code` say why
"""

from __future__ import annotations

from typing import Any

BAD_REQUEST = "BAD_REQUEST"
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
#: no supergraph is loaded yet (503)
SUPERGRAPH_UNAVAILABLE = "SUPERGRAPH_UNAVAILABLE"
#: a POST body that is not JSON by its Content-Type (415)
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
#: a mutation (or subscription) sent with GET (405)
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"


class RequestError(Exception):
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
        self.headers = headers or {}
        self.errors = errors or [{"message": message}]
        for error in self.errors:
            error.setdefault("extensions", {})["code"] = code

    def body(self) -> dict[str, Any]:
        """The JSON response body."""
        return {"errors": self.errors}

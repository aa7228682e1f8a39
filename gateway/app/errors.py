"""Request errors the HTTP layer answers with a status and a GraphQL error body.

PolicyError (gateway.policy.errors)   refused before execution; `status` and `code` say why
 +-- RequestError                      refused by the app (parse, validation, HTTP rules)
"""

from __future__ import annotations

from gateway.policy.errors import PolicyError

BAD_REQUEST = "BAD_REQUEST"
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
#: no supergraph is loaded yet (503)
SUPERGRAPH_UNAVAILABLE = "SUPERGRAPH_UNAVAILABLE"
#: a POST body that is not JSON by its Content-Type (415)
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
#: a mutation (or subscription) sent with GET (405)
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"


class RequestError(PolicyError):
    """A request refused before execution, with the GraphQL errors to return."""

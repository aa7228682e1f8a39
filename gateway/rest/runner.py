"""How a shim runs its operation: the app passes a function running it through its pipeline."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request

from gateway.rest.results import OperationResult

#: `run(request, query, variables, operation_name)`, on behalf of the request's caller
OperationRunner = Callable[
    [Request, str, dict[str, Any] | None, str | None], Awaitable[OperationResult]
]

#: `scope_of(request)`: whom the request's idempotency keys belong to (the token's subject, or
#: the client address without a token); None when the request carries a token that is not valid
CallerScope = Callable[[Request], Awaitable[str | None]]

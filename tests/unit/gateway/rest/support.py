"""What the REST unit tests share: a recording stand-in for the GraphQL pipeline and clients of an
app with the REST shims installed.

The shims hand every operation to a runner (`request, query, variables, operation_name`) and
shape its `Result`. `Runner` stands in for the pipeline: it records what it was asked and gives
one answer. Building an app with the shims is the slow part, so `client(runner)` serves every
test from one app (`REST_APP`) whose runner is swapped per client; `fresh_client` builds an app
of its own where a test needs other settings (an idempotency store, middleware).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI

from common.auth import AuthSettings
from gateway.rest import install_rest

#: What a call of a runner is recorded as: (query, variables, operation name).
Call = tuple[str, dict[str, Any] | None, str | None]


@dataclass
class Result:
    """What the pipeline answers: an HTTP status, a GraphQL body and headers."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class Runner:
    """A stand-in for the pipeline: records each operation in `calls` and answers `answer`."""

    def __init__(self, answer: Result) -> None:
        self.answer = answer
        self.calls: list[Call] = []

    async def __call__(
        self,
        request: Any,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
    ) -> Result:
        self.calls.append((query, variables, operation_name))
        return self.answer


def answering(field_name: str, value: Any) -> Runner:
    """A runner whose every operation answers `value` as the data of `field_name`."""
    return Runner(Result(200, {"data": {field_name: value}}))


def failing(field_name: str, code: str, message: str = "refused", **extensions: Any) -> Runner:
    """A runner whose every operation answers one error at `field_name`, with `code` and
    `extensions`, and no data."""
    error = {"message": message, "path": [field_name], "extensions": {"code": code, **extensions}}
    return Runner(Result(200, {"data": None, "errors": [error]}))


def client_of(app: FastAPI) -> httpx.AsyncClient:
    """An HTTP client of `app`, served in process."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")


def fresh_client(runner: Any, app: FastAPI | None = None, **settings: Any) -> httpx.AsyncClient:
    """A client of `app` (a new one by default) with the shims installed on it, handing their
    operations to `runner`; `settings` go to `install_rest` (e.g. `idempotency`)."""
    app = app or FastAPI()
    install_rest(app, AuthSettings(), runner, version="test", **settings)
    return client_of(app)


class RestApp:
    """One app with the shims installed, built on first use, whose runner can be swapped."""

    def __init__(self) -> None:
        self._app: FastAPI | None = None
        self.runner: Runner | None = None

    @property
    def app(self) -> FastAPI:
        if self._app is None:
            self._app = FastAPI()
            install_rest(self._app, AuthSettings(), self._run, version="test")
        return self._app

    async def _run(self, request: Any, *operation: Any) -> Result:
        assert self.runner is not None, "no runner: get the client with client(runner)"
        return await self.runner(request, *operation)

    def client(self, runner: Runner) -> httpx.AsyncClient:
        """A client of the app, its operations answered by `runner` until the next client."""
        self.runner = runner
        return client_of(self.app)


#: The app the tests share.
REST_APP = RestApp()


def client(runner: Runner) -> httpx.AsyncClient:
    """A client of the shared app whose operations `runner` answers."""
    return REST_APP.client(runner)


def refused_fields(response: httpx.Response) -> list[str]:
    """The fields a VALIDATION_FAILED refusal names, after asserting that `response` is one
    (422)."""
    assert response.status_code == 422, response.json()
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_FAILED"
    return [problem["field"] for problem in error["details"]["problems"]]

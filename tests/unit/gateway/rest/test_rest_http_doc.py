"""docs/rest.http against the gateway's own OpenAPI document.

The request collection must name every endpoint `/openapi.json` lists and nothing else, and each
request must be one the endpoint would accept: its JSON body valid for the operation's request
body schema, its query parameters known (and valid where they are concrete), its path ids valid,
the token sent where one is needed and the `Idempotency-Key` shown where one is taken.

`{{...}}` references (file variables, response references such as
`{{createOrder.response.body.$.data.id}}`, system variables such as `{{$guid}}`) are replaced by a
plausible value: a file variable by its value when that is plain text, a number when the
reference stands outside a JSON string (an id), a string inside one.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import jsonschema_rs
import pytest

from common.settings import GatewaySettings
from gateway.app.factory import create_app
from gateway.transport import MockSubgraphClient, SubgraphResponse

ROOT = Path(__file__).resolve().parents[4]
HTTP_FILE = ROOT / "docs" / "rest.http"
SUPERGRAPH = ROOT / "schema" / "supergraph.graphql"
SHOWN = "docs/rest.http"

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
SEPARATOR = re.compile(r"^#{3,}")
VARIABLE = re.compile(r"^@([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$")
REQUEST_LINE = re.compile(
    r"^(?P<method>[A-Z]+)\s+\{\{gateway\}\}(?P<target>/\S*)(?:\s+HTTP/[\d.]+)?\s*$"
)
REFERENCE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
#: Stands for a reference outside a JSON string (every such reference in the file is an id).
NUMBER = 1
#: Stands for a reference inside a JSON string that has no plain value.
TEXT = "sample-value"


@dataclass
class Request:
    """One request of the file."""

    line: int
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""

    def __str__(self) -> str:
        return f"{SHOWN} line {self.line}: {self.method.upper()} {self.path}"


@dataclass(frozen=True)
class Endpoint:
    """One operation of the OpenAPI document."""

    method: str
    template: str
    operation: dict[str, Any]

    @property
    def pattern(self) -> re.Pattern[str]:
        parts = re.split(r"(\{[^}/]+\})", self.template)
        regex = "".join(
            f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part)
            for part in parts
        )
        return re.compile(regex)

    @property
    def literal_segments(self) -> int:
        return sum(1 for part in self.template.split("/") if part and "{" not in part)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.template} ({self.operation.get('summary', '')})"


def parse_http_file(text: str) -> tuple[dict[str, str], list[Request]]:
    """The file variables and the requests of an `.http` file (REST Client's format)."""
    variables: dict[str, str] = {}
    requests: list[Request] = []
    current: Request | None = None
    state = "preamble"
    body: list[str] = []

    def finish() -> None:
        if current is not None:
            current.body = "\n".join(body).strip()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if SEPARATOR.match(line):
            finish()
            current, state, body = None, "preamble", []
            continue
        if state == "preamble":
            stripped = line.strip()
            if not stripped or stripped.startswith(("#", "//")):
                continue
            if match := VARIABLE.match(stripped):
                variables[match[1]] = match[2]
                continue
            match = REQUEST_LINE.match(stripped)
            assert match, (
                f"{SHOWN} line {number}: expected a request line `METHOD {{{{gateway}}}}/path`, "
                f"got {stripped!r}"
            )
            path, _, query = match["target"].partition("?")
            current = Request(number, match["method"].lower(), path, parse_qsl(query, True))
            requests.append(current)
            state = "headers"
        elif state == "headers":
            assert current is not None
            if not line.strip():
                state = "body"
                continue
            name, colon, value = line.partition(":")
            assert colon, f"{current}: header line without a colon: {line!r}"
            current.headers[name.strip().lower()] = value.strip()
        else:
            body.append(line)
    finish()
    return variables, requests


def plain_value(name: str, variables: dict[str, str], depth: int = 0) -> str | None:
    """The value a reference stands for when the file says it plainly, else None (a response
    reference, a system variable such as `$guid`, or a variable made of those)."""
    if depth > 10 or name not in variables:
        return None
    value = variables[name]
    unresolved = False

    def substitute(match: re.Match[str]) -> str:
        nonlocal unresolved
        inner = plain_value(match[1], variables, depth + 1)
        if inner is None:
            unresolved = True
            return ""
        return inner

    value = REFERENCE.sub(substitute, value)
    return None if unresolved else value


def inside_string(text: str, position: int) -> bool:
    """Whether `position` of JSON `text` lies inside a string literal."""
    quoted = escaped = False
    for char in text[:position]:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = quoted
        elif char == '"':
            quoted = not quoted
    return quoted


def substituted_body(body: str, variables: dict[str, str]) -> str:
    """`body` with each `{{...}}` replaced by a plausible value (see the module's docstring)."""
    pieces: list[str] = []
    end = 0
    for match in REFERENCE.finditer(body):
        pieces.append(body[end : match.start()])
        end = match.end()
        plain = plain_value(match[1], variables)
        if inside_string(body, match.start()):
            pieces.append(json.dumps(plain if plain is not None else TEXT)[1:-1])
        else:
            pieces.append(plain if plain is not None else json.dumps(NUMBER))
    pieces.append(body[end:])
    return "".join(pieces)


def candidates(raw: str) -> list[Any]:
    """What a text value from a URL may stand for: itself, a boolean, an integer, a number."""
    found: list[Any] = [raw]
    if raw in ("true", "false"):
        found.append(raw == "true")
    for kind in (int, float):
        try:
            found.append(kind(raw))
        except ValueError:
            continue
    return found


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """`/openapi.json` of the gateway app built from the committed supergraph."""
    with pytest.MonkeyPatch.context() as patch:
        # Strong secrets, so the app builds whatever GATEWAY_ENV the environment has.
        patch.setenv("AUTH_JWT_SECRET", "unit-test-secret-that-is-at-least-32-bytes")
        patch.setenv("AUTH_INTERNAL_SECRET", "unit-test-internal-secret-at-least-32-bytes")
        app = create_app(
            GatewaySettings(supergraph_path=SUPERGRAPH),
            client=MockSubgraphClient(lambda request: SubgraphResponse({})),
            environ={},
        )
        response = asyncio.run(_get(app, "/openapi.json"))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def _get(app: Any, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
        return await http.get(path)


@pytest.fixture(scope="module")
def endpoints(document: dict[str, Any]) -> list[Endpoint]:
    found = [
        Endpoint(method, template, operation)
        for template, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
    ]
    assert found, "/openapi.json lists no endpoint"
    return found


@pytest.fixture(scope="module")
def parsed() -> tuple[dict[str, str], list[Request]]:
    return parse_http_file(HTTP_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def matched(
    parsed: tuple[dict[str, str], list[Request]], endpoints: list[Endpoint]
) -> list[tuple[Request, Endpoint | None]]:
    """Each request with the endpoint it names: of the templates it fits, the one with the most
    literal segments (`/orders/my-orders` rather than `/orders/{order_id}`), as a router would."""
    pairs: list[tuple[Request, Endpoint | None]] = []
    for request in parsed[1]:
        fitting = [
            endpoint
            for endpoint in endpoints
            if endpoint.method == request.method and endpoint.pattern.fullmatch(request.path)
        ]
        best = max(fitting, key=lambda endpoint: endpoint.literal_segments, default=None)
        pairs.append((request, best))
    return pairs


def validator(schema: dict[str, Any], document: dict[str, Any]) -> jsonschema_rs.Validator:
    """A JSON Schema 2020-12 validator of `schema`, its `#/components/...` references resolved
    against the document (OpenAPI 3.1 schemas are JSON Schema 2020-12)."""
    rooted = {**schema, "components": document.get("components", {})}
    return jsonschema_rs.Draft202012Validator(rooted, validate_formats=True)


def problems_of(check: jsonschema_rs.Validator, instance: Any) -> list[str]:
    return [
        f"/{'/'.join(map(str, error.instance_path))}: {error.message}"
        for error in check.iter_errors(instance)
    ]


def parameters(endpoint: Endpoint, where: str) -> dict[str, dict[str, Any]]:
    return {
        parameter["name"]: parameter
        for parameter in endpoint.operation.get("parameters", [])
        if parameter["in"] == where
    }


def test_the_file_has_requests_and_a_gateway_variable(
    parsed: tuple[dict[str, str], list[Request]],
) -> None:
    variables, requests = parsed
    assert variables.get("gateway") == "http://localhost:4000"
    assert "token" in variables
    assert requests


def test_every_endpoint_of_the_document_has_a_request(
    endpoints: list[Endpoint], matched: list[tuple[Request, Endpoint | None]]
) -> None:
    covered = {(endpoint.method, endpoint.template) for _, endpoint in matched if endpoint}
    missing = [str(e) for e in endpoints if (e.method, e.template) not in covered]
    if missing:
        pytest.fail(
            f"{SHOWN} has no request for these endpoints of /openapi.json:\n  "
            + "\n  ".join(missing),
            pytrace=False,
        )


def test_every_request_names_an_endpoint_of_the_document(
    matched: list[tuple[Request, Endpoint | None]],
) -> None:
    stale = [str(request) for request, endpoint in matched if endpoint is None]
    if stale:
        pytest.fail(
            "requests naming no endpoint of /openapi.json (stale?):\n  " + "\n  ".join(stale),
            pytrace=False,
        )


def test_the_first_requests_get_a_token(matched: list[tuple[Request, Endpoint | None]]) -> None:
    first = [(request.method, request.path) for request, _ in matched[:2]]
    assert first == [("post", "/api/v1/auth/token"), ("post", "/api/v1/users/login")]


def test_every_json_body_is_valid_for_its_endpoint(
    document: dict[str, Any],
    parsed: tuple[dict[str, str], list[Request]],
    matched: list[tuple[Request, Endpoint | None]],
) -> None:
    variables = parsed[0]
    problems: list[str] = []
    for request, endpoint in matched:
        if endpoint is None:
            continue
        declared = endpoint.operation.get("requestBody")
        schema = (declared or {}).get("content", {}).get("application/json", {}).get("schema")
        if not request.body:
            if declared and declared.get("required"):
                problems.append(f"{request}: {endpoint} needs a body; the request sends none")
            continue
        if schema is None:
            problems.append(f"{request}: sends a body, but {endpoint} takes no JSON body")
            continue
        if request.headers.get("content-type") != "application/json":
            problems.append(f"{request}: a JSON body needs `Content-Type: application/json`")
        text = substituted_body(request.body, variables)
        try:
            instance = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(f"{request}: the body is not JSON ({exc}):\n{text}")
            continue
        problems += [
            f"{request}: body {p}" for p in problems_of(validator(schema, document), instance)
        ]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_every_parameter_is_known_and_valid(
    document: dict[str, Any], matched: list[tuple[Request, Endpoint | None]]
) -> None:
    problems: list[str] = []
    for request, endpoint in matched:
        if endpoint is None:
            continue
        known = parameters(endpoint, "query")
        sent = dict(request.query)
        for name in sent.keys() - known.keys():
            problems.append(f"{request}: {endpoint} has no query parameter {name!r}")
        for name, parameter in known.items():
            if parameter.get("required") and name not in sent:
                problems.append(f"{request}: the query parameter {name!r} is required")
        path_values = endpoint.pattern.fullmatch(request.path)
        assert path_values is not None
        given = [(name, sent[name], known[name]) for name in sent.keys() & known.keys()]
        declared_path = parameters(endpoint, "path")
        given += [
            (name, value, declared_path[name])
            for name, value in path_values.groupdict().items()
            if name in declared_path
        ]
        for name, value, parameter in given:
            if REFERENCE.search(value):
                continue
            check = validator(parameter.get("schema", {}), document)
            if not any(check.is_valid(candidate) for candidate in candidates(value)):
                problems.append(
                    f"{request}: {name}={value!r} is not valid for {parameter.get('schema')}"
                )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_tokens_and_idempotency_keys_are_sent_where_needed(
    document: dict[str, Any], matched: list[tuple[Request, Endpoint | None]]
) -> None:
    problems: list[str] = []
    for request, endpoint in matched:
        if endpoint is None:
            continue
        security = endpoint.operation.get("security", document.get("security", []))
        needs_token = bool(security) and {} not in security
        if needs_token and not request.headers.get("authorization", "").startswith("Bearer "):
            problems.append(f"{request}: {endpoint} needs `Authorization: Bearer ...`")
        for name in parameters(endpoint, "header"):
            if name.lower() == "idempotency-key" and name.lower() not in request.headers:
                problems.append(f"{request}: {endpoint} takes an Idempotency-Key; show it")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_the_parser_reads_references_and_bodies() -> None:
    variables, requests = parse_http_file(
        "@gateway = http://localhost:4000\n@id = {{make.response.body.$.data.id}}\n"
        "@word = plain\n\n###\n# A summary\n# @name make\n"
        "POST {{gateway}}/api/v1/things/{{id}}/x?page=1&q=a%20b HTTP/1.1\n"
        "Content-Type: application/json\n\n"
        '{"id": {{id}}, "name": "{{word}}-{{$guid}}", "other": "{{id}}"}\n\n###\n'
        "GET {{gateway}}/api/v1/things\n"
    )
    assert variables["word"] == "plain"
    first, second = requests
    assert (first.method, first.path, first.query) == (
        "post",
        "/api/v1/things/{{id}}/x",
        [("page", "1"), ("q", "a b")],
    )
    assert first.headers == {"content-type": "application/json"}
    assert json.loads(substituted_body(first.body, variables)) == {
        "id": NUMBER,
        "name": f"plain-{TEXT}",
        "other": TEXT,
    }
    assert (second.method, second.path, second.body) == ("get", "/api/v1/things", "")
    endpoint = Endpoint("post", "/api/v1/things/{thing_id}/x", {})
    assert endpoint.pattern.fullmatch(first.path)
    assert not endpoint.pattern.fullmatch("/api/v1/things/1/2/x")

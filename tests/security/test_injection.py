"""Held vector: injection strings (SQL, LIKE wildcards, JSON, HTTP headers, GraphQL) in every
string argument of the API schema have no effect: each is refused with a 4xx code or stored and
matched as the literal text it is, never a 5xx, never INTERNAL, never a header of its own."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.security.arguments import (
    StringArgument,
    api_schema,
    errors_of,
    post,
    probe,
    string_arguments,
)
from tests.support.stack import RunningStack

SCHEMA = api_schema()
SQL = ["' OR '1'='1' --", '"; DROP TABLE users; --', "1 UNION SELECT email FROM users", "%", "_"]
JSON = ['{"$ne": null}', '", "role": "ADMIN", "x": "']
HEADER = "x\r\nX-Injected: yes\r\nSet-Cookie: injected=1"
GRAPHQL = '") { __schema { types { name } } } #'
#: All of them in one text, for the probe of every argument.
EVERYTHING = " ".join([*SQL, *JSON, HEADER, GRAPHQL, "\\"])
NO_ROW = "2147483646"


def _no_sign_of_injection(answer: httpx.Response) -> None:
    assert answer.status_code < 500, answer.text[:500]
    assert "x-injected" not in answer.headers
    assert "injected=1" not in answer.headers.get("set-cookie", "")
    codes = {e.get("extensions", {}).get("code") for e in errors_of(answer.json())}
    assert "INTERNAL" not in codes, answer.text[:500]


@pytest.mark.parametrize("argument", string_arguments(SCHEMA), ids=str)
def test_an_injection_in_any_string_argument_has_no_effect(
    target: RunningStack, argument: StringArgument
) -> None:
    document, variables = probe(SCHEMA, argument, [EVERYTHING], ids=NO_ROW)
    # An address of its own: the login probes fail, and must not slow other tests' logins.
    headers = {**target.admin, "X-Forwarded-For": "10.66.0.1"}
    _no_sign_of_injection(post(target, document, variables, headers))


def _all(target: RunningStack, field: str, selection: str) -> list[dict[str, Any]]:
    """Every row of a list field, page by page, as an admin sees them."""
    rows, page = [], 1
    while True:
        data = target.data(
            f"{{ {field}(page: {page}, pageSize: 100) {{ items {{ {selection} }} "
            "pageInfo { totalPages } } }",
            headers=target.admin,
        )[field]
        rows += data["items"]
        if page >= data["pageInfo"]["totalPages"]:
            return rows
        page += 1


SEARCHED = {
    "products": ("id sku name description", ("sku", "name", "description")),
    "repositories": ("id name description", ("name", "description")),
    "users": ("id name email", ("name", "email")),
}


@pytest.mark.parametrize("field", sorted(SEARCHED))
@pytest.mark.parametrize("text", [*SQL, *JSON], ids=repr)
def test_search_matches_the_literal_text_only(target: RunningStack, field: str, text: str) -> None:
    selection, searched = SEARCHED[field]
    literal = {
        row["id"]
        for row in _all(target, field, selection)
        if any(text.lower() in (row[column] or "").lower() for column in searched)
    }
    found = target.data(
        f"query($s: String) {{ {field}(search: $s, pageSize: 100) {{ items {{ id }} }} }}",
        {"s": text},
        headers=target.admin,
    )[field]["items"]
    assert {row["id"] for row in found} == literal


def test_injected_text_is_stored_as_it_was_sent(target: RunningStack) -> None:
    products_before = len(_all(target, "products", "id"))
    sku = f"INJ-{uuid.uuid4().hex[:8].upper()}"
    created = target.data(
        "mutation($input: CreateProductInput!) { createProduct(input: $input) { id description } }",
        {"input": {"sku": sku, "name": SQL[0], "price": 1.5, "description": EVERYTHING}},
        headers=target.admin,
    )["createProduct"]
    assert created["description"] == EVERYTHING.strip()
    assert len(_all(target, "products", "id")) == products_before + 1


def test_an_injected_login_signs_nobody_in(target: RunningStack) -> None:
    for text in [*SQL, *JSON]:
        payload = post(
            target,
            "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            {"i": {"login": text, "password": text}},
            {"X-Forwarded-For": "10.66.0.2"},
        ).json()
        codes = [e["extensions"]["code"] for e in errors_of(payload)]
        assert payload["data"] is None and codes in (["UNAUTHENTICATED"], ["VALIDATION_FAILED"])


def test_the_rest_endpoints_take_injections_as_text(target: RunningStack) -> None:
    for path, params in (
        ("/api/v1/products", {"search": EVERYTHING}),
        ("/api/v1/products/search", {"q": SQL[0]}),
        ("/api/v1/repositories", {"search": SQL[0]}),
        ("/api/v1/users", {"search": SQL[0]}),
    ):
        answer = httpx.get(
            f"{target.gateway_url}{path}", params=params, headers=target.admin, timeout=30
        )
        assert answer.status_code in (200, 422), (path, answer.text)
        assert "x-injected" not in answer.headers
    login = httpx.post(
        f"{target.gateway_url}/api/v1/users/login",
        json={"login": HEADER, "password": SQL[0]},
        headers={"X-Forwarded-For": "10.66.0.3"},
        timeout=30,
    )
    assert login.status_code in (401, 422), login.text
    assert "x-injected" not in login.headers

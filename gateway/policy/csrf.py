"""CSRF prevention as Apollo Router does it: run an operation only when a browser could not have
sent the request without a CORS preflight, i.e. it is a JSON POST or it carries a header a
simple request cannot (`Apollo-Require-Preflight`, `X-Apollo-Operation-Name`).
https://www.apollographql.com/docs/router/configuration/csrf"""

from __future__ import annotations

from collections.abc import Mapping

from gateway.policy.errors import CSRF_ERROR, PolicyError

PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name")
_JSON_TYPES = frozenset({"application/json", "application/graphql-response+json"})


def check_csrf(method: str, headers: Mapping[str, str]) -> None:
    """`PolicyError` (400) unless the request is preflighted; `headers` keyed in lower case."""
    if any(headers.get(name, "").strip() for name in PREFLIGHT_HEADERS):
        return
    media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if method == "POST" and media in _JSON_TYPES:
        return
    raise PolicyError(
        400,
        CSRF_ERROR,
        "This operation has been blocked as a potential Cross-Site Request Forgery (CSRF)."
        " Send it as a POST with `Content-Type: application/json`, or add a non-empty"
        " `Apollo-Require-Preflight` or `X-Apollo-Operation-Name` header.",
    )

"""`/openapi.json` (OpenAPI 3.1 of every `/api/v1` endpoint) and Swagger UI at `/swagger`.

FastAPI writes the document from the routes' declarations (parameters, body models with their
examples, the `responses` of `schemas.responses`); this module adds the bearer scheme and the
tags. Swagger UI's files come from the `fastapi-offline` package, so the page works without
reaching a CDN (gateways often run where browsers' CDNs are blocked).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

OPENAPI_PATH = "/openapi.json"
SWAGGER_PATH = "/swagger"
_ASSETS = Path(fastapi_offline.__file__).parent / "static"
_BEARER = "bearerAuth"

DESCRIPTION = """\
The original services' REST API, served by the federation gateway: every endpoint runs one
GraphQL operation through the gateway (the same authentication, limits and metrics as
`/graphql`).

**Tokens.** Send `Authorization: Bearer <token>`. Get one with `POST /api/v1/auth/token`
(client credentials) or `POST /api/v1/users/login` (a user's email or username and password).

**Answers.** `{"success": true, "data": ..., "meta": {...}}`, with `meta` on lists;
failures are `{"success": false, "error": {"code", "message", "details"}}` with their status.

**Idempotency.** `POST /api/v1/orders`, `POST /api/v1/payments` and the payment `process` and
`refund` actions take an `Idempotency-Key` header: a retry with the same key and body answers
as the first request did (with `Idempotent-Replayed: true`) and has no second effect.
"""

TAGS = [
    {"name": "accounts", "description": "Tokens, registration, sessions."},
    {"name": "users", "description": "User accounts (admins write)."},
    {"name": "orders", "description": "Orders and their life cycle."},
    {"name": "repositories", "description": "Code repositories."},
    {"name": "payments", "description": "Payments of orders."},
    {"name": "products", "description": "The catalogue and its stock."},
    {"name": "notifications", "description": "A user's notifications and channels."},
    {"name": "audit", "description": "The audit log (admins)."},
]


def install_openapi(app: FastAPI, *, version: str) -> None:
    """Serve the REST API's OpenAPI document and Swagger UI from `app`."""
    cached: dict[str, Any] = {}

    def document() -> dict[str, Any]:
        if not cached:
            cached.update(rest_openapi(app, version=version))
        return cached

    async def openapi_json() -> JSONResponse:
        return JSONResponse(document())

    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_PATH,
            title="REST API - Swagger UI",
            swagger_js_url=f"{SWAGGER_PATH}/assets/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER_PATH}/assets/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER_PATH}/assets/favicon.png",
            swagger_ui_parameters={"persistAuthorization": True, "displayRequestDuration": True},
        )

    app.add_api_route(OPENAPI_PATH, openapi_json, methods=["GET"], include_in_schema=False)
    app.add_api_route(SWAGGER_PATH, swagger, methods=["GET"], include_in_schema=False)
    app.mount(f"{SWAGGER_PATH}/assets", StaticFiles(directory=_ASSETS), name="swagger-assets")


def rest_openapi(app: FastAPI, *, version: str) -> dict[str, Any]:
    """The OpenAPI document of `app`'s routes in the schema (the REST ones: the others are
    declared with `include_in_schema=False`)."""
    document = get_openapi(
        title="REST API",
        version=version,
        description=DESCRIPTION,
        routes=app.routes,
        tags=TAGS,
    )
    components = document.setdefault("components", {})
    components.setdefault("securitySchemes", {})[_BEARER] = {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    # Endpoints say otherwise where a token is optional or not needed.
    document["security"] = [{_BEARER: []}]
    return document

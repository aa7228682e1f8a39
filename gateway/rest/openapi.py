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
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
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

#: Swagger UI's page: its files and the script starting it, all from this origin, no inline
#: script, so its Content-Security-Policy can allow scripts from 'self' alone.
SWAGGER_HTML = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>REST API - Swagger UI</title>
<link rel="stylesheet" href="{SWAGGER_PATH}/assets/swagger-ui.css">
<link rel="icon" href="{SWAGGER_PATH}/assets/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{SWAGGER_PATH}/assets/swagger-ui-bundle.js"></script>
<script src="{SWAGGER_PATH}/start.js"></script>
</body>
</html>
"""
SWAGGER_START = f"""SwaggerUIBundle({{
  url: "{OPENAPI_PATH}",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  persistAuthorization: true,
  displayRequestDuration: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
}});
"""
#: As tight as Swagger UI allows (checked in Chromium: every operation renders and "Try it
#: out" runs with no violation, no 'unsafe-inline' needed): its
#: scripts, styles and the requests of "Try it out" go to this origin only; its icons are
#: `data:` images in its stylesheet; nothing may frame the page, post a form or set a base URL.
SWAGGER_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

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
        return HTMLResponse(SWAGGER_HTML, headers={"Content-Security-Policy": SWAGGER_CSP})

    async def swagger_start() -> Response:
        return Response(SWAGGER_START, media_type="text/javascript")

    app.add_api_route(OPENAPI_PATH, openapi_json, methods=["GET"], include_in_schema=False)
    app.add_api_route(SWAGGER_PATH, swagger, methods=["GET"], include_in_schema=False)
    app.add_api_route(
        f"{SWAGGER_PATH}/start.js", swagger_start, methods=["GET"], include_in_schema=False
    )
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

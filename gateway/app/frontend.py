"""The web front the gateway serves from the frontend build (`frontend/dist`, `npm run build`).

- `/` and every other page path: the SPA's `index.html` (history fallback), never cached.
- `/assets/...`: the build's hashed files, cached for a year (a new build has new names).
- `GET /graphql` from a browser (outside production): the GraphiQL page of the same build.

Paths of the API (`/graphql`, `/api/...`, `/health`, `/metrics`, `/swagger`, `/openapi.json`)
never fall back to the SPA. Without a build the pages say how to make one; the API works.

Each HTML page carries its own Content-Security-Policy (`common.web`), so a default policy
set for every answer does not replace it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.convertors import Convertor, register_url_convertor

from common.web import PAGE_CONTENT_SECURITY_POLICY

#: The policy of every page the build serves (the SPA and GraphiQL), also nginx's (nginx/).
CONTENT_SECURITY_POLICY = PAGE_CONTENT_SECURITY_POLICY
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"
#: First path segments that belong to the API: never answered with the SPA.
RESERVED = ("graphql", "api", "health", "metrics", "swagger", "openapi.json")
BUILD_HINT = (
    "Build it with `make frontend` (Node 20+ and npm), or `make run`, which builds it when"
    " Node is present."
)


class PagePath(Convertor[str]):
    """A path the SPA may answer: not one of the API's, not a file name with an extension."""

    regex = r"(?!(?:{})(?:/|$))[^.]*".format("|".join(s.replace(".", r"\.") for s in RESERVED))

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("page", PagePath())


class FrontendBuild:
    """The files of one frontend build directory (which may not exist yet)."""

    def __init__(self, dist: Path) -> None:
        self.dist = dist
        self.assets = (dist / "assets").resolve()

    def page(self, name: str) -> bytes | None:
        """An HTML page of the build (`index.html`, `graphiql.html`), read afresh so a rebuild
        shows without a restart; None when not built."""
        try:
            return (self.dist / name).read_bytes()
        except OSError:
            return None

    def asset(self, relative: str) -> Path | None:
        """The asset file at `relative`, only inside `assets/`."""
        candidate = (self.assets / relative).resolve()
        if not candidate.is_relative_to(self.assets) or not candidate.is_file():
            return None
        return candidate


def html_page(body: bytes | str, status_code: int = 200) -> HTMLResponse:
    """An HTML answer with the pages' security policy and no caching."""
    return HTMLResponse(
        body,
        status_code=status_code,
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": NO_CACHE},
    )


def _missing_page(title: str, what: str) -> HTMLResponse:
    body = (
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{title}</title>'
        f"<h1>{title}</h1><p>{what} is not built. {BUILD_HINT}</p>"
        "<p>The API answers meanwhile: <code>POST /graphql</code>, <code>/api/v1</code>,"
        " <code>/swagger</code>.</p></html>"
    )
    return html_page(body, status_code=404)


def graphiql_page(build: FrontendBuild) -> HTMLResponse:
    """GraphiQL from the build, or a page saying how to build it."""
    page = build.page("graphiql.html")
    if page is None:
        return _missing_page("GraphiQL", "The GraphiQL page (frontend/graphiql.html)")
    return html_page(page)


def install_frontend(app: FastAPI, build: FrontendBuild) -> None:
    """Serve the build's assets and the SPA; call after every other route is added."""

    async def asset(request: Request) -> Response:
        path = build.asset(request.path_params["path"])
        if path is None:
            return Response("Not found", status_code=404, media_type="text/plain")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return FileResponse(path, media_type=media_type, headers={"Cache-Control": IMMUTABLE})

    async def spa(_: Request) -> Response:
        page = build.page("index.html")
        if page is None:
            return _missing_page("Shop", "The web front (frontend/)")
        return html_page(page)

    app.router.add_route("/assets/{path:path}", asset, methods=["GET", "HEAD"])
    app.router.add_route("/{path:page}", spa, methods=["GET", "HEAD"])

"""Security headers on every answer of the gateway, errors and 404s included.

- `X-Content-Type-Options: nosniff`: browsers take our JSON for JSON, never for a script;
- `Referrer-Policy: no-referrer`: no URL of ours travels to another site;
- `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`: no page of ours can be framed
  (clickjacking);
- `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` when the answer has no
  policy of its own: JSON needs nothing. Routes that serve HTML (Swagger UI, GraphiQL, the SPA)
  set their own policy, which is kept.

A header a route already set is kept as it is. The middleware wraps the whole application,
Starlette's error handling included, so an unexpected 500 carries the headers too.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
)


class SecurityHeaders:
    """Adds `HEADERS` to every HTTP response that does not carry them already."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in HEADERS if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

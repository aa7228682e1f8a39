"""What the web front's pages (the SPA and GraphiQL, built from frontend/) may load, shared by
the gateway that serves them and the nginx edge in front of it (nginx/)."""

from __future__ import annotations

#: Scripts, styles and connections from the page's own origin only; no inline script or style,
#: no eval. Fonts may also be `data:` URLs (GraphiQL's stylesheet embeds its fonts), images too
#: (icons in stylesheets). Nothing else: no CDN, no frames, no plugins, forms post to us.
PAGE_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

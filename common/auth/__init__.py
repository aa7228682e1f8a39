"""Identity: settings, issuing and verifying tokens, and JWKS keys. Imports only `common`."""

from common.auth.jwks import JwksKeys
from common.auth.settings import AuthSettings, load_auth_settings, parse_roles
from common.auth.tokens import (
    Claims,
    KeySource,
    issue_service_token,
    issue_token,
    verify_token,
)

__all__ = [
    "AuthSettings",
    "Claims",
    "JwksKeys",
    "KeySource",
    "issue_service_token",
    "issue_token",
    "load_auth_settings",
    "parse_roles",
    "verify_token",
]

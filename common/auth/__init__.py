"""Identity: settings, issuing and verifying tokens, and JWKS keys. Imports only `common`."""

from common.auth.identity import ADMIN, SERVICE, USER, Identity
from common.auth.internal import (
    CLIENT_ADDRESS_HEADER,
    INTERNAL_TOKEN_HEADER,
    InternalTokens,
)
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
    "ADMIN",
    "CLIENT_ADDRESS_HEADER",
    "INTERNAL_TOKEN_HEADER",
    "SERVICE",
    "USER",
    "AuthSettings",
    "Claims",
    "Identity",
    "InternalTokens",
    "JwksKeys",
    "KeySource",
    "issue_service_token",
    "issue_token",
    "load_auth_settings",
    "parse_roles",
    "verify_token",
]

"""HS256 tokens on the request path, without pyjwt's generic machinery.

Every client request of the gateway verifies one token and may sign one internal token; pyjwt
spends over 100 microseconds on each (it re-checks the key for PEM and DER shapes on every
call and validates base64 character by character in Python), a few percent of a request.

`verify` is a fast path only: it accepts a token only when every check pyjwt's `decode` makes
with our options holds (signature, `alg` pinned to HS256, a plain header, the required claims,
issuer, audience, `sub` and `jti` types), and answers None for anything else, so that the caller
asks pyjwt, which then refuses it with its own error. It never accepts what pyjwt would refuse.
`sign` writes the token pyjwt's `encode` would (same header, compact JSON payload).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import jwt
import orjson
from jwt.algorithms import HMACAlgorithm

#: header.payload.signature, each unpadded base64url
_SHAPE = re.compile(rb"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
#: the header `sign` writes (pyjwt's: `typ` then `alg`, compact)
_HEADER = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').rstrip(b"=")
#: header parameters a token on the fast path may carry (`crit`, `b64`, `jku`... go to pyjwt)
_PLAIN_HEADER = frozenset({"alg", "typ", "kid"})


@lru_cache(maxsize=8)
def _usable(secret: str) -> bytes | None:
    """The secret as an HMAC key, None when pyjwt refuses it as one (it looks like a PEM, SSH
    or DER key): then every token goes to pyjwt, which says so."""
    try:
        return HMACAlgorithm(HMACAlgorithm.SHA256).prepare_key(secret)
    except jwt.InvalidKeyError:
        return None


def _segment(segment: bytes) -> bytes | None:
    """An unpadded base64url segment decoded; None when it is not in canonical form (pyjwt
    refuses those)."""
    if len(segment) % 4 == 1:
        return None
    try:
        decoded = base64.urlsafe_b64decode(segment + b"=" * (-len(segment) % 4))
    except (binascii.Error, ValueError):
        return None
    if base64.urlsafe_b64encode(decoded).rstrip(b"=") != segment:
        return None
    return decoded


def _json_object(raw: bytes) -> dict[str, Any] | None:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def verify(
    token: str, secret: str, *, audience: str, issuer: str, require: Sequence[str]
) -> dict[str, Any] | None:
    """The payload of an HS256 `token` that passes every check `jwt.decode(token, secret,
    algorithms=["HS256"], audience=audience, issuer=issuer, options={"require": require})`
    makes (times left to the caller, as there); None when it may not: ask pyjwt."""
    key = _usable(secret)
    if key is None:
        return None
    try:
        raw = token.encode("ascii")
    except UnicodeEncodeError:
        return None
    if _SHAPE.fullmatch(raw) is None:
        return None
    signing_input, _, signature_part = raw.rpartition(b".")
    header_part, _, payload_part = signing_input.partition(b".")
    signature = _segment(signature_part)
    header_raw = _segment(header_part)
    payload_raw = _segment(payload_part)
    if signature is None or header_raw is None or payload_raw is None:
        return None
    header = _json_object(header_raw)
    if header is None or header.get("alg") != "HS256" or not header.keys() <= _PLAIN_HEADER:
        return None
    if "kid" in header and not isinstance(header["kid"], str):
        return None
    expected = hmac.new(key, signing_input, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        return None
    payload = _json_object(payload_raw)
    if payload is None or any(payload.get(claim) is None for claim in require):
        return None
    if payload.get("iss") != issuer or not isinstance(payload.get("iss"), str):
        return None
    aud = payload.get("aud")
    if isinstance(aud, str):
        if aud != audience:
            return None
    elif not (isinstance(aud, list) and all(isinstance(a, str) for a in aud) and audience in aud):
        return None
    if "sub" in payload and not isinstance(payload["sub"], str):
        return None
    if "jti" in payload and not isinstance(payload["jti"], str):
        return None
    return payload


def sign(payload: Mapping[str, Any], secret: str) -> str:
    """`jwt.encode(payload, secret, algorithm="HS256")`, for JSON payloads with numeric times
    (pyjwt itself for anything else: a `datetime` it turns into a number, what orjson cannot
    write, a secret pyjwt refuses)."""
    key = _usable(secret)
    try:
        body = orjson.dumps(payload)
    except TypeError:
        key = None
    if any(not isinstance(payload.get(t, 0), int | float) for t in ("exp", "iat", "nbf")):
        key = None
    if key is None:
        return jwt.encode(dict(payload), secret, algorithm="HS256")
    signing_input = _HEADER + b"." + base64.urlsafe_b64encode(body).rstrip(b"=")
    signature = hmac.new(key, signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()

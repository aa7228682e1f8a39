"""RSA and EC key pairs and JWKS documents for the auth tests."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def jwk(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, kid: str) -> dict[str, Any]:
    """The public JWK of `key` with id `kid`."""
    algorithm = jwt.algorithms.RSAAlgorithm if isinstance(key, rsa.RSAPrivateKey) else None
    if algorithm is not None:
        data = json.loads(algorithm.to_jwk(key.public_key()))
    else:
        data = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
    return {**data, "kid": kid, "use": "sig"}


def jwks(*keys: tuple[rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, str]) -> dict[str, Any]:
    return {"keys": [jwk(key, kid) for key, kid in keys]}


def hs256_with_public_key(key: rsa.RSAPrivateKey, claims: dict[str, Any]) -> str:
    """The classic confusion attack: a token signed HS256 with the verifier's public key as
    the HMAC secret (pyjwt refuses to make one, so it is put together by hand)."""
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}')
    body = jwt.utils.base64url_encode(json.dumps(claims).encode())
    digest = hmac.new(public_pem(key), header + b"." + body, hashlib.sha256).digest()
    return (header + b"." + body + b"." + jwt.utils.base64url_encode(digest)).decode()

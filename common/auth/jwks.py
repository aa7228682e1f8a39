"""Verification keys for RS256/ES256 from a JWKS URL, cached by `kid`.

A token with an unknown `kid` fetches the JWKS again (keys rotate), but at most once per
cooldown, so a flood of tokens with made-up `kid`s cannot turn into a flood of fetches.
pyjwt's `PyJWKClient` refetches on every unknown `kid`, hence this class.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import jwt

from common.auth.settings import AuthSettings
from common.errors import Unauthenticated
from common.logging import get_logger

logger = get_logger(__name__)


class JwksKeys:
    """The keys published at `url`, fetched on first use and on an unknown `kid`."""

    def __init__(
        self,
        url: str,
        *,
        algorithm: str | None = None,
        cooldown: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        client: httpx.AsyncClient | None = None,
        timeout: float = 5.0,
    ) -> None:
        self.url = url
        self.algorithm = algorithm
        self.cooldown = cooldown
        self.clock = clock
        self.fetches = 0
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = asyncio.Lock()
        self._own_client = client is None
        self._client = client or httpx.AsyncClient(timeout=timeout)

    @classmethod
    def from_settings(
        cls,
        settings: AuthSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        client: httpx.AsyncClient | None = None,
    ) -> JwksKeys:
        """Keys from `AUTH_JWKS_URL` for `AUTH_JWT_ALGORITHM`, cooled down as configured."""
        if not settings.auth_jwks_url:
            raise ValueError("AUTH_JWKS_URL is not set")
        return cls(
            settings.auth_jwks_url,
            algorithm=settings.auth_jwt_algorithm,
            cooldown=settings.auth_jwks_cooldown_seconds,
            clock=clock,
            client=client,
        )

    async def key_for(self, kid: str | None) -> jwt.PyJWK:
        """The key with id `kid` (or the only key, for a token without one)."""
        key = self._find(kid)
        if key is not None:
            return key
        async with self._lock:
            # Another task may have fetched while this one waited.
            key = self._find(kid)
            if key is None and self._may_fetch():
                await self._fetch()
                key = self._find(kid)
        if key is None:
            raise Unauthenticated(
                f"Token is signed with an unknown key (kid {kid!r}); ask for a new token."
            )
        return key

    async def aclose(self) -> None:
        """Close the HTTP client when this object made it."""
        if self._own_client:
            await self._client.aclose()

    def _find(self, kid: str | None) -> jwt.PyJWK | None:
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(kid)

    def _may_fetch(self) -> bool:
        return self._fetched_at is None or self.clock() - self._fetched_at >= self.cooldown

    async def _fetch(self) -> None:
        """Replace the cached keys with the JWKS at `url`; keep them when the fetch fails."""
        self._fetched_at = self.clock()
        self.fetches += 1
        try:
            response = await self._client.get(self.url)
            response.raise_for_status()
            key_set = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
            # ValueError covers a body that is not JSON; PyJWTError a set with no usable key.
            logger.warning("could not fetch the JWKS at %s: %s", self.url, exc)
            return
        keys: dict[str | None, jwt.PyJWK] = {}
        for key in key_set.keys:
            if key.public_key_use == "enc":
                continue
            if self.algorithm is not None and key.algorithm_name != self.algorithm:
                continue
            keys[key.key_id] = key
        self._keys = keys

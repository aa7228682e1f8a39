"""What a subgraph allows the gateway to cache: its answer's `Cache-Control` header.

`max-age=N` with `public` (or neither) is cacheable by every caller for N seconds; `private` only
for the caller it was computed for (a signed-in caller: anonymous callers share nothing private);
`no-store`, `no-cache`, `max-age=0` or no header at all: nothing is kept. `public` or `private`
without `max-age` keeps the answer for the default lifetime (`REDIS_TTL_SECONDS`).
`s-maxage`, being meant for shared caches like this one, wins over `max-age`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CachePolicy:
    """For how long an answer may be kept, and whether for its caller only."""

    max_age: int
    private: bool = False


def cache_policy(header: str | None, default_ttl: int) -> CachePolicy | None:
    """The policy `header` allows (None: nothing may be kept)."""
    if not header:
        return None
    directives: dict[str, str | None] = {}
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name:
            directives[name.strip().lower()] = value.strip().strip('"') or None
    if "no-store" in directives or "no-cache" in directives:
        return None
    private = "private" in directives
    age = _seconds(directives.get("s-maxage")) if "s-maxage" in directives else None
    if age is None:
        age = _seconds(directives.get("max-age")) if "max-age" in directives else None
    if age is None:
        if not private and "public" not in directives:
            return None  # no statement that anything may be kept
        age = default_ttl
    if age <= 0:
        return None
    return CachePolicy(age, private)


def _seconds(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0  # unreadable: keep nothing

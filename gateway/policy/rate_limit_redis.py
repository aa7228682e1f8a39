"""The rate limiter every gateway replica shares: GCRA in one atomic Lua script in Redis.

The script reads the clock of the Redis server (`TIME`), so replicas with skewed clocks still
agree, and does the read-decide-write in one step, so concurrent requests cannot both take the
last slot. It is sent by its SHA1 (`EVALSHA`) and in full only when Redis does not know it yet
(`NOSCRIPT`: after a restart or `SCRIPT FLUSH`).
"""

from __future__ import annotations

import hashlib
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from gateway.policy.rate_limit import RateLimitDecision, RateLimitPolicy

#: KEYS[1] the key; ARGV[1] interval, ARGV[2] tolerance (microseconds).
#: Returns {allowed (0|1), remaining, retry_after_us, reset_us}, the arithmetic of `gcra()`.
GCRA_SCRIPT = """
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - tolerance
if now < allow_at then
  return {0, 0, allow_at - now, tat - now}
end
local ttl_ms = math.ceil((new_tat - now) / 1000) + 1
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', ttl_ms)
return {1, math.floor((now - allow_at) / interval), 0, new_tat - now}
"""
GCRA_SHA1 = hashlib.sha1(GCRA_SCRIPT.encode()).hexdigest()


class RedisRateLimit:
    """GCRA in Redis under `prefix + key`; raises redis-py's errors when Redis fails."""

    def __init__(self, client: Redis, *, prefix: str = "") -> None:
        self.client = client
        self.prefix = prefix

    async def decide(self, key: str, policy: RateLimitPolicy) -> RateLimitDecision:
        """Admit or refuse one request under `key`, shared with every replica."""
        args = (1, self.prefix + key, policy.interval_us, policy.tolerance_us)
        try:
            result: Any = await self.client.evalsha(GCRA_SHA1, *args)
        except NoScriptError:
            result = await self.client.eval(GCRA_SCRIPT, *args)
        allowed, remaining, retry_after_us, reset_us = (int(value) for value in result)
        return RateLimitDecision(allowed == 1, policy.burst, remaining, retry_after_us, reset_us)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self.client.aclose()

"""Password hashing runs off the event loop, at most `workers` hashes at a time."""

from __future__ import annotations

import asyncio
import threading

from argon2 import PasswordHasher

from subgraphs.users.passwords import Passwords


class CountingHasher(PasswordHasher):
    """argon2-cffi's hasher (cheap parameters) that records how many hashes run at once."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            return super().hash(password, salt=salt)
        finally:
            with self._lock:
                self.running -= 1


async def test_a_burst_of_hashes_runs_at_most_workers_at_a_time() -> None:
    hasher = CountingHasher()
    passwords = Passwords(hasher, workers=2)
    hashes = await asyncio.gather(*(passwords.hash(f"password {n}") for n in range(12)))
    assert hasher.most <= 2
    assert len(set(hashes)) == 12
    assert await passwords.verify(hashes[3], "password 3")
    assert not await passwords.verify(hashes[3], "password 4")
    assert not await passwords.verify(None, "password 3")

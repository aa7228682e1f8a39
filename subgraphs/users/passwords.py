"""Password hashing with argon2id (argon2-cffi's defaults), off the event loop.

Hashing and verifying cost tens of milliseconds of CPU and 64 MiB of memory each, so they run
in worker threads, at most one per CPU at a time (a burst of sign-ins queues there instead of
taking every core and the memory of dozens of hashes), and the event loop keeps serving other
requests meanwhile.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

T = TypeVar("T")


class Passwords:
    """Hash, verify and upgrade passwords; `hasher` is argon2-cffi's with default parameters."""

    def __init__(self, hasher: PasswordHasher | None = None, workers: int | None = None) -> None:
        self.hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None
        self._dummy_lock = threading.Lock()
        self._workers = ThreadPoolExecutor(
            max_workers=workers or os.cpu_count() or 1, thread_name_prefix="argon2"
        )

    async def hash(self, password: str) -> str:
        """The argon2id hash of `password` (with a fresh salt)."""
        return await self._run(self.hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches `password_hash`.

        Without a hash (unknown login, account without a password) a fixed dummy hash is
        verified instead and the answer is False, so the time taken does not tell them apart.
        """
        if password_hash is None:
            await self._run(self._verify_dummy, password)
            return False
        return await self._run(self._verify, password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with other parameters than the hasher's current ones."""
        try:
            return self.hasher.check_needs_rehash(password_hash)
        except ValueError:  # not an argon2 hash at all
            return True

    async def _run(self, work: Callable[..., T], *args: str) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._workers, work, *args)

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _verify_dummy(self, password: str) -> bool:
        return self._verify(self._dummy(), password)

    def _dummy(self) -> str:
        """A hash of a random-looking fixed text, made once with the hasher's parameters."""
        with self._dummy_lock:
            if self._dummy_hash is None:
                self._dummy_hash = self.hasher.hash("not a password: no such account")
            return self._dummy_hash


#: The process's hasher (its dummy hash is made on first use and kept).
DEFAULT_PASSWORDS = Passwords()

"""CPU-heavy steps of a request (parsing and validating a document not seen before) run on one
worker thread, so the event loop keeps answering other requests while a large document is read.

One thread, not a pool: Python runs one thread at a time, so more workers would only take more
turns from the event loop. The loop gets the interpreter back within one switch interval
(`python -m gateway` sets it to 1 ms instead of 5), and each job is bounded before it starts
(`GATEWAY_MAX_TOKENS`, `GATEWAY_VALIDATION_BUDGET`).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


class CpuWorker:
    """Runs functions on its thread (or inline, for tests and tools: `CpuWorker.inline()`)."""

    def __init__(self, executor: ThreadPoolExecutor | None) -> None:
        self._executor = executor

    @classmethod
    def thread(cls) -> CpuWorker:
        """A worker with a thread of its own."""
        return cls(ThreadPoolExecutor(max_workers=1, thread_name_prefix="gateway-cpu"))

    @classmethod
    def inline(cls) -> CpuWorker:
        """A worker that runs each function at once, in the caller's thread."""
        return cls(None)

    async def run(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`function(*args, **kwargs)`, on the worker's thread; its exception is raised here."""
        if self._executor is None:
            return function(*args, **kwargs)
        call = functools.partial(function, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def shutdown(self) -> None:
        """Stop the thread once the job running now is done; waiting jobs are dropped."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

"""The CPU worker: jobs run on its own thread (the event loop's stays free), errors come back."""

from __future__ import annotations

import threading

import pytest

from gateway.app.cpu import CpuWorker


def where(*_: object, **__: object) -> str:
    return threading.current_thread().name


async def test_jobs_run_on_the_workers_thread_and_errors_are_raised_to_the_caller() -> None:
    worker = CpuWorker.thread()
    try:
        assert (await worker.run(where, 1, key="x")).startswith("gateway-cpu")
        with pytest.raises(ZeroDivisionError):
            await worker.run(divmod, 1, 0)
    finally:
        worker.shutdown()


async def test_an_inline_worker_runs_in_the_callers_thread() -> None:
    assert await CpuWorker.inline().run(where) == threading.current_thread().name

"""The Server-Sent Events stream of a subscription when the client goes away at the moment the
subscription ends: nothing is left for asyncio to report as "never retrieved" (which the
gateway's log would show as an error with a traceback)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncGenerator
from typing import Any

from gateway.app.subscriptions.sse import _events


async def test_an_end_meeting_a_disconnect_leaves_nothing_unretrieved() -> None:
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _, context: reported.append(context))
    ending = asyncio.Event()

    async def responses() -> AsyncGenerator[dict[str, Any], None]:
        await ending.wait()
        return
        yield {}  # an async generator that ends without a response

    events = _events(responses(), contextlib.AsyncExitStack())
    reader = asyncio.ensure_future(anext(events))
    await asyncio.sleep(0)  # the reader waits for the subscription's next response
    await asyncio.sleep(0)
    ending.set()  # the subscription ends ...
    await asyncio.sleep(0)  # ... its end is there (StopAsyncIteration) ...
    reader.cancel()  # ... as the client goes away
    with contextlib.suppress(asyncio.CancelledError):
        await reader
    await events.aclose()
    del reader, events
    gc.collect()
    await asyncio.sleep(0)

    assert [c["message"] for c in reported if "never retrieved" in c["message"]] == []

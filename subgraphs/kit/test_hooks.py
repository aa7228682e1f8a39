"""Hooks for crash tests, inert unless a test stack's environment names a flag file.

A crash test must SIGKILL a process at one exact moment (after a commit, before the answer; after
an external send, before it is recorded). Each hook holds the process at that moment while its
flag file exists, and says so in the log, so the test waits for the line and kills. Without the
setting nothing is installed or checked; production refuses the settings at start-up
(`SubgraphSettings`), so no production path can pause.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.logging import get_logger

logger = get_logger(__name__)

#: The longest a hook holds, should a test forget to kill or to remove the flag.
MAX_HOLD_SECONDS = 30.0
_POLL_SECONDS = 0.02


async def hold_while_flagged(flag: Path | None, moment: str) -> None:
    """While `flag` exists (and at most `MAX_HOLD_SECONDS`), wait; logs `test hook: <moment>`."""
    if flag is None or not await asyncio.to_thread(flag.exists):
        return
    logger.warning(f"test hook: {moment}", extra={"flag": str(flag)})
    deadline = time.monotonic() + MAX_HOLD_SECONDS
    # A file, not an event, is what the test controls: poll it.
    while await asyncio.to_thread(flag.exists) and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(_POLL_SECONDS)


class HoldAnswer:
    """Holds every successful `/graphql` answer (one without `errors`) while the flag exists:
    the operation has run and committed, no byte of its answer has left
    (`<PREFIX>TEST_HOLD_ANSWER_FILE`). Refusals pass, so a test may retry until one succeeds."""

    def __init__(self, app: ASGIApp, flag: Path) -> None:
        self.app = app
        self.flag = flag

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") != "/graphql":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def held(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if b'"errors"' not in body:
                await hold_while_flagged(self.flag, "answer held after the operation")
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, held)

"""The crash tests' hooks: inert without their setting, refused in production, and holding a
successful answer only while the flag file exists."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from starlette.types import Message, Receive, Scope, Send

from common.errors import ConfigurationError
from common.settings import load_settings
from subgraphs.kit.test_hooks import HoldAnswer
from subgraphs.notifications.settings import NotificationServiceSettings
from subgraphs.orders.settings import OrderServiceSettings


def answering(body: bytes):
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    return app


async def run(app, path: str = "/graphql") -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    await app({"type": "http", "path": path}, receive, send)
    return sent


@pytest.mark.parametrize(
    ("settings_cls", "variable"),
    [
        (OrderServiceSettings, "ORDER_SERVICE_TEST_HOLD_ANSWER_FILE"),
        (NotificationServiceSettings, "NOTIFICATION_SERVICE_TEST_HOLD_AFTER_SEND_FILE"),
    ],
)
def test_production_refuses_a_hook(monkeypatch, tmp_path, settings_cls, variable) -> None:
    monkeypatch.setenv(variable, str(tmp_path / "flag"))
    prefix = variable.split("TEST_")[0]
    assert load_settings(settings_cls).env == "development"
    monkeypatch.setenv(f"{prefix}ENV", "production")

    with pytest.raises(ConfigurationError) as caught:
        load_settings(settings_cls)

    assert variable in str(caught.value)


async def test_without_the_flag_answers_pass_unchanged(tmp_path: Path) -> None:
    sent = await run(HoldAnswer(answering(b'{"data":{}}'), tmp_path / "absent"))

    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[1]["body"] == b'{"data":{}}'


async def test_refusals_and_other_paths_are_never_held(tmp_path: Path) -> None:
    flag = tmp_path / "flag"
    flag.touch()

    refused = await run(HoldAnswer(answering(b'{"errors":[{}]}'), flag))
    health = await run(HoldAnswer(answering(b"ok"), flag), path="/health")

    assert refused[1]["body"] == b'{"errors":[{}]}'
    assert health[1]["body"] == b"ok"


async def test_a_successful_answer_waits_while_the_flag_exists(tmp_path: Path) -> None:
    flag = tmp_path / "flag"
    flag.touch()
    answer = asyncio.create_task(run(HoldAnswer(answering(b'{"data":{}}'), flag)))
    await asyncio.sleep(0.1)
    assert not answer.done(), "held while the flag exists"

    flag.unlink()

    sent = await asyncio.wait_for(answer, timeout=5)
    assert sent[1]["body"] == b'{"data":{}}'

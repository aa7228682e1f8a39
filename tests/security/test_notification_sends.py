"""Finding 11 of issue 12: an email sent twice.

The notifications process is SIGKILLed right after an external send (an EMAIL) and before the
send is recorded (the test hook `NOTIFICATION_SERVICE_TEST_HOLD_AFTER_SEND_FILE` holds it there),
then restarted. However the event comes again, no (event, channel) is sent twice. The sends are
what the sender logs (`notification sent` lines, each naming its event and channel), in the logs
of both runs. On the suite's `crash_stack`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.security.crash import DEADLINE_SECONDS, hook_flag, kill, restart, wait_for_hook
from tests.security.shop import new_user
from tests.support.stack import RunningStack

CREATE_ORDER = """
mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }
"""


def sends(log: Path) -> list[dict[str, Any]]:
    """What the sender logged as sent, in order."""
    found = []
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("message") == "notification sent" and "delivery" in entry:
            found.append(json.loads(entry["delivery"]))
    return found


def placed_email(logs: list[Path], order_id: str) -> list[dict[str, Any]]:
    """The EMAIL sends telling that order `order_id` was placed."""
    return [
        sent
        for log in logs
        if log.exists()
        for sent in sends(log)
        if sent["channel"] == "EMAIL" and sent["title"] == f"Order #{order_id} placed"
    ]


def test_an_email_is_not_sent_again_after_a_kill_between_send_and_record(
    crash_stack: RunningStack,
) -> None:
    headers = new_user(crash_stack)
    order_input = {"input": {"items": [{"productId": "PROD-1", "quantity": 1}]}}
    notifications = crash_stack.services["notifications"]
    assert notifications.log_path is not None
    first_log = notifications.log_path
    flag = hook_flag(crash_stack, "notifications")
    since = first_log.stat().st_size

    flag.touch()
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            placed = pool.submit(crash_stack.data, CREATE_ORDER, order_input, headers=headers)
            order_id = placed.result(timeout=DEADLINE_SECONDS)["createOrder"]["id"]
        wait_for_hook(notifications, since)
        kill(notifications)
    finally:
        flag.unlink(missing_ok=True)
    assert len(placed_email([first_log], order_id)) == 1, "sent, then killed"

    second_log = restart(
        crash_stack, "notifications", log_suffix=f"-{uuid.uuid4().hex[:6]}"
    ).log_path
    assert second_log is not None
    barrier = crash_stack.data(CREATE_ORDER, order_input, headers=headers)["createOrder"]["id"]
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not placed_email([second_log], barrier):
        assert time.monotonic() < deadline, "the restarted sender sends nothing"
        time.sleep(0.1)

    logs = [first_log, second_log]
    assert len(placed_email(logs, order_id)) == 1, "the email of the kill was not sent again"
    every = Counter((sent["event_id"], sent["channel"]) for log in logs for sent in sends(log))
    assert every and max(every.values()) == 1, every

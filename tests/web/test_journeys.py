"""Every journey of the shop, as a shopper and as an administrator, and GraphiQL, in headless
Chromium against the running system (frontend/e2e/journeys.mjs); each leaves a screenshot under
var/e2e/<journey>.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.conftest import BROWSER_RUN_TIMEOUT, BrowserRun

# The first test waits for the stack and the whole browser run (a session fixture).
pytestmark = pytest.mark.timeout(BROWSER_RUN_TIMEOUT + 120)

JOURNEYS = [
    # anyone
    "catalogue",  # products with pages and search, the page in the URL
    # a shopper
    "register",  # a refused password explained, then an account
    "sign-in",  # sent to sign in from a private page; keyboard only; a wrong password explained
    "order",  # cart, quantities, a double click that places one order, the API's total
    "pay",  # card payment of the order; the orders list shows it paid
    "cancel",  # another order, cancelled with a reason; status filter in the URL
    "notifications",  # the orders' notifications, mark read, unread only, channel preferences
    "repositories",  # my repositories (none yet), visibility filter
    "profile",  # `me`
    "session-refresh",  # an expired access token is refreshed silently, the refresh token rotates
    "session-expired",  # a refused refresh token sends you to sign in, then back
    "refused-limit",  # repeated wrong passwords: too many attempts, and how long to wait
    # an administrator
    "admin-users",  # search, deactivate, activate, promote
    "admin-orders",  # any order's status moved on
    "admin-audit",  # the audit log with its filters in the URL
    "admin-repositories",  # a public repository created
    "admin-only-pages",  # the promoted user reaches the admin pages after signing in again
    # GraphiQL, with nothing loaded from off the machine
    "graphiql",  # a typed query, its result and plan, headers editing, the docs explorer
    # through nginx
    "edge",  # the SPA (history fallback) and GraphiQL through the edge's CSP
    # part of the system down
    "subgraph-down",  # payments stopped: the orders still show, the missing part is explained
]


@pytest.mark.parametrize("name", JOURNEYS)
def test_journey(browser_run: BrowserRun, name: str) -> None:
    result = browser_run.result(name)
    assert result["ok"], f"journey {name} failed:\n{result['error']}"
    assert result["screenshot"] and Path(result["screenshot"]).stat().st_size > 0


def test_every_journey_is_listed(browser_run: BrowserRun) -> None:
    assert sorted(browser_run.results) == sorted(JOURNEYS), "\n".join(browser_run.output[-20:])

"""Issue 12, finding 6: twenty failed logins with invented usernames locked every account out of
that address for 15 minutes, and behind nginx every client shares one address. Failures from an
address now ask each login from it for a solved challenge (slower, never locked); failures on
one account still lock that account."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from subgraphs.users.challenge import solve
from tests.security.shop import PASSWORD, new_account
from tests.support.stack import RunningStack

LOGIN = "mutation($input: LoginInput!) { login(input: $input) { accessToken user { username } } }"
#: USER_SERVICE_LOGIN_MAX_FAILURES_PER_ADDRESS and _PER_ACCOUNT's defaults.
ADDRESS_LIMIT, ACCOUNT_LIMIT = 20, 5


def an_address() -> str:
    """An address of its own (the target gateway trusts X-Forwarded-For, as behind a proxy)."""
    return "10.12." + ".".join(str(octet) for octet in uuid.uuid4().bytes[:2])


def account(target: RunningStack) -> str:
    """A fresh account's username (password `PASSWORD`)."""
    return new_account(target).username


def login(target: RunningStack, address: str, **fields: Any) -> dict[str, Any]:
    answer = target.graphql(LOGIN, {"input": fields}, headers={"X-Forwarded-For": address})
    assert answer.status_code == 200, answer.text
    return answer.json()


def code_of(payload: dict[str, Any]) -> str | None:
    errors = payload.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


def spray(target: RunningStack, address: str, count: int = ADDRESS_LIMIT) -> None:
    """Failed logins with invented usernames, as the attack in the finding."""
    for number in range(count):
        invented = f"nobody-{number}-{uuid.uuid4().hex[:6]}"
        payload = login(target, address, login=invented, password="guess guess")
        assert code_of(payload) == "UNAUTHENTICATED"


@pytest.fixture(scope="module")
def shared(target: RunningStack) -> str:
    """An address twenty failed logins with invented usernames came from (sprayed once: each
    costs a password hash, as a real failure does)."""
    address = an_address()
    spray(target, address)
    return address


def test_invented_usernames_from_a_shared_address_lock_nobody_out(
    target: RunningStack, shared: str
) -> None:
    victim, elsewhere = account(target), an_address()

    asked = login(target, shared, login=victim, password=PASSWORD)
    assert code_of(asked) == "CHALLENGE_REQUIRED"  # was TOO_MANY_ATTEMPTS for 15 minutes
    challenge = asked["errors"][0]["extensions"]["challenge"]
    answer = {
        "challenge": challenge["token"],
        "challengeSolution": solve(challenge["token"], challenge["difficulty"]),
    }
    through = login(target, shared, login=victim, password=PASSWORD, **answer)
    assert through["data"]["login"]["user"]["username"] == victim

    # Each solution lets one attempt through; another address never noticed anything.
    assert code_of(login(target, shared, login=victim, password=PASSWORD, **answer)) == (
        "CHALLENGE_REQUIRED"
    )
    assert login(target, elsewhere, login=victim, password=PASSWORD)["data"]["login"]


def test_the_rest_login_carries_the_challenge_too(target: RunningStack, shared: str) -> None:
    victim = account(target)
    url = f"{target.gateway_url}/api/v1/users/login"
    body = {"username": victim, "password": PASSWORD}

    asked = httpx.post(url, json=body, headers={"X-Forwarded-For": shared}, timeout=30)
    assert asked.status_code == 429
    error = asked.json()["error"]
    assert error["code"] == "CHALLENGE_REQUIRED"
    challenge = error["details"]["challenge"]
    solution = solve(challenge["token"], challenge["difficulty"])
    body |= {"challenge": challenge["token"], "challenge_solution": solution}
    through = httpx.post(url, json=body, headers={"X-Forwarded-For": shared}, timeout=30)
    assert through.status_code == 200, through.text


def test_guessing_one_account_still_locks_it_from_every_address(target: RunningStack) -> None:
    victim = account(target)
    for _ in range(ACCOUNT_LIMIT):
        wrong = login(target, an_address(), login=victim, password="not the password")
        assert code_of(wrong) == "UNAUTHENTICATED"

    locked = login(target, an_address(), login=victim, password=PASSWORD)
    assert code_of(locked) == "TOO_MANY_ATTEMPTS"
    assert locked["errors"][0]["extensions"]["retryAfter"] > 0


def test_the_production_gateway_passes_the_challenge_on(
    production_gateway: RunningStack, shared: str
) -> None:
    victim = account(production_gateway)
    asked = login(production_gateway, shared, login=victim, password=PASSWORD)
    error = asked["errors"][0]
    assert error["extensions"]["code"] == "CHALLENGE_REQUIRED"
    assert "solve extensions.challenge" in error["message"]  # not masked as a subgraph failure
    challenge = error["extensions"]["challenge"]
    answer = {
        "challenge": challenge["token"],
        "challengeSolution": solve(challenge["token"], challenge["difficulty"]),
    }
    through = login(production_gateway, shared, login=victim, password=PASSWORD, **answer)
    assert through["data"]["login"]["user"]["username"] == victim

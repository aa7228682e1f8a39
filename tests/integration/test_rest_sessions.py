"""The account endpoints over REST through the running gateway and users subgraph:
`/api/v1/users/register`, `/login`, `/me`, `/refresh`, `/logout`, in the original envelope."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from subgraphs.users.challenge import solve
from tests.integration.rest_support import USER_FIELDS, USERS, call, error_of
from tests.support.stack import RunningStack

PASSWORD = "correct horse battery staple"


def post(stack: RunningStack, path: str, body: Any, **headers: str) -> httpx.Response:
    return call(stack, "POST", f"{USERS}/{path}", headers, json=body)


def fresh_account() -> dict[str, str]:
    tag = uuid.uuid4().hex[:10]
    return {"email": f"rest.{tag}@example.com", "username": f"rest-{tag}", "password": PASSWORD}


def address() -> str:
    """An address of its own for each test, so login throttling per address stays apart."""
    octets = uuid.uuid4().bytes[:3]
    return "10." + ".".join(str(octet) for octet in octets)


def test_register_login_me_refresh_logout(stack: RunningStack) -> None:
    account = fresh_account()
    where = address()
    registered = post(stack, "register", {**account, "name": "Grace"}, **{"X-Forwarded-For": where})
    assert registered.status_code == 201, registered.json()
    body = registered.json()
    assert body["success"] is True
    user = body["data"]["user"]
    assert registered.headers["location"] == f"/api/v1/users/{user['id']}"
    assert registered.headers["cache-control"] == "no-store"
    assert set(user) == USER_FIELDS
    assert isinstance(user["id"], int)
    assert (user["name"], user["role"], body["data"]["token_type"]) == ("Grace", "user", "Bearer")

    logged_in = post(
        stack,
        "login",
        {"email": account["email"], "password": PASSWORD},
        **{"X-Forwarded-For": where},
    )
    assert logged_in.status_code == 200
    session = logged_in.json()["data"]
    me = call(stack, "GET", f"{USERS}/me", {"Authorization": f"Bearer {session['access_token']}"})
    assert me.json() == {"success": True, "data": user}

    renewed = post(stack, "refresh", {"refresh_token": session["refresh_token"]})
    assert renewed.status_code == 200
    assert renewed.json()["data"]["refresh_token"] != session["refresh_token"]
    replayed = post(stack, "refresh", {"refresh_token": session["refresh_token"]})
    assert replayed.status_code == 401
    assert replayed.json()["error"]["code"] == "UNAUTHENTICATED"

    out = post(stack, "logout", {"refresh_token": renewed.json()["data"]["refresh_token"]})
    assert out.json() == {"success": True, "data": {"logged_out": True}}


def test_errors_in_the_envelope_with_their_status(stack: RunningStack) -> None:
    account = fresh_account()
    assert post(stack, "register", account).status_code == 201
    cases = [
        (post(stack, "register", account), 409, "CONFLICT"),
        (
            post(stack, "register", {**fresh_account(), "password": "short"}),
            422,
            "VALIDATION_FAILED",
        ),
        (post(stack, "register", {"email": "x"}), 422, "VALIDATION_FAILED"),
        (
            call(
                stack,
                "POST",
                f"{USERS}/login",
                {"content-type": "application/json"},
                content=b"{not json",
            ),
            400,
            "BAD_REQUEST",
        ),
        (
            post(
                stack,
                "login",
                {"username": account["username"], "password": "wrong password!"},
                **{"X-Forwarded-For": address()},
            ),
            401,
            "UNAUTHENTICATED",
        ),
        (call(stack, "GET", f"{USERS}/me"), 401, "UNAUTHENTICATED"),
        (call(stack, "GET", f"{USERS}/me", stack.auth("service")), 403, "FORBIDDEN"),
    ]
    for response, status, code in cases:
        error_of(response, status, code)
    duplicate = cases[0][0].json()["error"]
    assert duplicate["details"]["field"] in ("email", "username")


def test_failed_logins_from_one_address_ask_it_for_a_challenge_not_a_lock(
    stack: RunningStack,
) -> None:
    account = fresh_account()
    assert post(stack, "register", account).status_code == 201
    noisy, quiet = address(), address()
    # Guessing at many accounts from one address: past the per-address limit (20) each login
    # from there needs a solved challenge; the address is never locked.
    for attempt in range(20):
        wrong = {"login": f"nobody-{attempt}-{uuid.uuid4().hex[:6]}", "password": "guess guess"}
        assert post(stack, "login", wrong, **{"X-Forwarded-For": noisy}).status_code == 401

    right = {"username": account["username"], "password": PASSWORD}
    asked = post(stack, "login", right, **{"X-Forwarded-For": noisy})
    assert asked.status_code == 429, asked.json()
    error = asked.json()["error"]
    assert error["code"] == "CHALLENGE_REQUIRED"
    challenge = error["details"]["challenge"]
    answer = {
        "challenge": challenge["token"],
        "challenge_solution": solve(challenge["token"], challenge["difficulty"]),
    }
    solved = post(stack, "login", right | answer, **{"X-Forwarded-For": noisy})
    assert solved.status_code == 200, solved.json()
    assert post(stack, "login", right, **{"X-Forwarded-For": quiet}).status_code == 200

"""Signing in through the running gateway, on SQLite and PostgreSQL: register, login, `me` with
the access token, refresh rotation and reuse detection, logout, login throttling, concurrent
refreshes, and what tokens allow."""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from typing import Any

from tests.integration.test_users_through_gateway import create_user, only_error
from tests.support.stack import RunningStack

PASSWORD = "correct horse battery staple"
SESSION = "accessToken refreshToken tokenType expiresIn user { id username email role }"
REGISTER = f"mutation($input: RegisterInput!) {{ register(input: $input) {{ {SESSION} }} }}"
LOGIN = f"mutation($input: LoginInput!) {{ login(input: $input) {{ {SESSION} }} }}"
REFRESH = f"mutation($t: String!) {{ refreshToken(refreshToken: $t) {{ {SESSION} }} }}"
LOGOUT = "mutation($t: String!, $all: Boolean!) { logout(refreshToken: $t, everywhere: $all) }"
ME = "{ me { id username email role active } }"
CREATE_USER = "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }"
UPDATE_USER = (
    "mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }"
)


def anonymous(stack: RunningStack) -> RunningStack:
    return replace(stack, default_headers={})


def bearer(session: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {session['accessToken']}"}


def register(stack: RunningStack, **fields: Any) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:10]
    values = {"email": f"it.{tag}@example.com", "username": f"it-{tag}", "password": PASSWORD}
    return anonymous(stack).data(REGISTER, {"input": values | fields})["register"]


def login(stack: RunningStack, name: str, password: str = PASSWORD) -> dict[str, Any]:
    return anonymous(stack).data(LOGIN, {"input": {"login": name, "password": password}})["login"]


def refresh_error(stack: RunningStack, token: str) -> dict[str, Any]:
    return only_error(anonymous(stack), REFRESH, {"t": token})


def test_register_login_me_refresh_reuse_logout(stack: RunningStack) -> None:
    registered = register(stack, name="Ada Lovelace")
    user = registered["user"]
    assert user["role"] == "USER"
    assert (registered["tokenType"], registered["expiresIn"]) == ("Bearer", 3600)

    signed_in = login(stack, user["username"].upper())
    assert signed_in["user"] == user
    me = stack.data(ME, headers=bearer(signed_in))["me"]
    assert me == {**user, "active": True}

    rotated = anonymous(stack).data(REFRESH, {"t": signed_in["refreshToken"]})["refreshToken"]
    assert rotated["refreshToken"] != signed_in["refreshToken"]
    assert stack.data(ME, headers=bearer(rotated))["me"]["id"] == user["id"]

    # The spent token again: someone holds a copy, so the whole sign-in ends.
    reused = refresh_error(stack, signed_in["refreshToken"])
    assert reused["extensions"]["code"] == "UNAUTHENTICATED"
    assert "already used" in reused["message"] and "log in again" in reused["message"].lower()
    revoked = refresh_error(stack, rotated["refreshToken"])
    assert revoked["extensions"]["code"] == "UNAUTHENTICATED"

    # The registration's own sign-in is another family: it still works until logged out.
    assert anonymous(stack).data(LOGOUT, {"t": registered["refreshToken"], "all": False}) == {
        "logout": True
    }
    assert refresh_error(stack, registered["refreshToken"])["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )


def test_me_needs_a_signed_in_user(stack: RunningStack) -> None:
    assert only_error(anonymous(stack), ME, {})["extensions"]["code"] == "UNAUTHENTICATED"
    service = replace(stack, default_headers=stack.auth("service"))
    assert only_error(service, ME, {})["extensions"]["code"] == "FORBIDDEN"


def test_logout_everywhere_and_with_unknown_or_malformed_tokens(stack: RunningStack) -> None:
    registered = register(stack)
    other = login(stack, registered["user"]["email"])

    everywhere = {"t": registered["refreshToken"], "all": True}
    assert anonymous(stack).data(LOGOUT, everywhere) == {"logout": True}
    for session in (registered, other):
        assert refresh_error(stack, session["refreshToken"])["extensions"]["code"] == (
            "UNAUTHENTICATED"
        )

    assert anonymous(stack).data(LOGOUT, {"t": "Z" * 43, "all": False}) == {"logout": True}
    malformed = only_error(anonymous(stack), LOGOUT, {"t": "not-a-token", "all": False})
    assert (malformed["extensions"]["code"], malformed["extensions"]["field"]) == (
        "VALIDATION_FAILED",
        "refreshToken",
    )


def test_wrong_password_and_unknown_login_answer_alike(stack: RunningStack) -> None:
    registered = register(stack)
    wrong = only_error(
        anonymous(stack),
        LOGIN,
        {"input": {"login": registered["user"]["username"], "password": "not the password"}},
    )
    unknown = only_error(
        anonymous(stack), LOGIN, {"input": {"login": "nobody-here", "password": PASSWORD}}
    )

    for error in (wrong, unknown):
        assert error["extensions"]["code"] == "UNAUTHENTICATED"
        assert error["message"] == "Wrong login or password."


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    stack: RunningStack,
) -> None:
    registered = register(stack)
    name = registered["user"]["username"]
    for _ in range(5):  # USER_SERVICE_LOGIN_MAX_FAILURES_PER_ACCOUNT's default
        error = only_error(
            anonymous(stack), LOGIN, {"input": {"login": name, "password": "wrong password"}}
        )
        assert error["extensions"]["code"] == "UNAUTHENTICATED"

    locked = only_error(anonymous(stack), LOGIN, {"input": {"login": name, "password": PASSWORD}})

    assert locked["extensions"]["code"] == "TOO_MANY_ATTEMPTS"
    assert 0 < locked["extensions"]["retryAfter"] <= 900
    assert "try again in" in locked["message"]
    # Tokens already issued keep working: only logging in is locked.
    assert stack.data(ME, headers=bearer(registered))["me"]["username"] == name


def test_concurrent_refreshes_with_one_token_let_one_through(stack: RunningStack) -> None:
    registered = register(stack)
    token = registered["refreshToken"]
    start = threading.Barrier(4)
    answers: list[dict[str, Any]] = []

    def refresh() -> None:
        start.wait()
        answers.append(anonymous(stack).graphql(REFRESH, {"t": token}).json())

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    succeeded = [answer for answer in answers if "errors" not in answer]
    refused = [answer for answer in answers if "errors" in answer]
    assert len(succeeded) == 1, answers
    assert len(refused) == 3
    assert all(a["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED" for a in refused)


def test_a_user_token_cannot_administer_users_until_promoted(stack: RunningStack) -> None:
    registered = register(stack)
    user_id = registered["user"]["id"]
    as_user = replace(stack, default_headers=bearer(registered))
    new_user = {"input": {"email": f"x.{uuid.uuid4().hex[:8]}@example.com", "name": "X"}}

    refused = only_error(as_user, CREATE_USER, new_user)
    assert refused["extensions"]["code"] == "FORBIDDEN"
    assert "admin" in refused["message"]
    assert only_error(anonymous(stack), CREATE_USER, new_user)["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )

    stack.as_admin().data(UPDATE_USER, {"id": user_id, "input": {"role": "ADMIN"}})
    promoted = anonymous(stack).data(REFRESH, {"t": registered["refreshToken"]})["refreshToken"]

    assert promoted["user"]["role"] == "ADMIN"
    created = stack.data(CREATE_USER, new_user, headers=bearer(promoted))["createUser"]
    assert created["id"]


def test_deactivating_a_user_ends_their_sessions(stack: RunningStack) -> None:
    registered = register(stack)
    name = registered["user"]["username"]

    stack.as_admin().data(UPDATE_USER, {"id": registered["user"]["id"], "input": {"active": False}})

    revoked = refresh_error(stack, registered["refreshToken"])
    assert revoked["extensions"]["code"] == "UNAUTHENTICATED"
    refused = only_error(anonymous(stack), LOGIN, {"input": {"login": name, "password": PASSWORD}})
    assert refused["extensions"]["code"] == "UNAUTHENTICATED"
    assert "deactivated" in refused["message"]


def test_an_account_an_admin_created_logs_in_once_given_a_password(stack: RunningStack) -> None:
    user = create_user(stack)
    email = user["email"]
    error = only_error(anonymous(stack), LOGIN, {"input": {"login": email, "password": PASSWORD}})
    assert error["message"] == "Wrong login or password."

    stack.as_admin().data(UPDATE_USER, {"id": user["id"], "input": {"password": PASSWORD}})

    assert login(stack, email)["user"]["id"] == user["id"]


def test_register_conflicts_and_validation_name_the_field(stack: RunningStack) -> None:
    registered = register(stack)
    taken_email = only_error(
        anonymous(stack),
        REGISTER,
        {
            "input": {
                "email": registered["user"]["email"].upper(),
                "username": f"u{uuid.uuid4().hex[:8]}",
                "password": PASSWORD,
            }
        },
    )
    short = only_error(
        anonymous(stack),
        REGISTER,
        {"input": {"email": "s@example.com", "username": "shorty", "password": "short"}},
    )

    assert (taken_email["extensions"]["code"], taken_email["extensions"]["field"]) == (
        "CONFLICT",
        "email",
    )
    assert (short["extensions"]["code"], short["extensions"]["field"]) == (
        "VALIDATION_FAILED",
        "password",
    )

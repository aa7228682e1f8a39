"""Signing in: register, login, throttling, refresh rotation and reuse, logout, deactivation."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from common.auth import AuthSettings, verify_token
from common.auth.identity import Identity
from common.db import create_engine, create_session_factory
from common.errors import (
    ChallengeRequired,
    Conflict,
    TooManyAttempts,
    Unauthenticated,
    ValidationFailed,
)
from common.events import Event
from subgraphs.kit.database import RequestDb
from subgraphs.users import session_repository
from subgraphs.users.models import LoginFailureRow, RefreshTokenRow, UserRow, UsersBase, outbox
from subgraphs.users.passwords import Passwords
from subgraphs.users.service import UserService
from subgraphs.users.sessions import (
    Refused,
    SessionService,
    TokenIssuingDisabled,
    hash_refresh_token,
)

PASSWORD = "correct horse battery"
HOME, CAFE = "198.51.100.1", "198.51.100.2"


async def register(sessions, **fields: Any):
    values = {"email": "ada@example.com", "username": "ada", "password": PASSWORD} | fields
    return await sessions().register(**values)


async def login(sessions, login: str = "ada", password: str = PASSWORD, address: str | None = HOME):
    return await sessions().login(login=login, password=password, client_address=address)


async def claims_of(token: str, policy, clock) -> Identity:
    claims = await verify_token(token, policy.auth, now=clock.now.timestamp())
    return Identity.from_claims(claims)


# -- register -------------------------------------------------------------------------------------


async def test_register_creates_a_user_account_and_signs_it_in(
    sessions, session, policy, clock
) -> None:
    signed_in = await register(sessions, email=" Ada@Example.com ", username="Ada", name="Ada L")

    user = signed_in.user
    assert (user.id, user.email, user.username, user.name, user.role, user.active) == (
        1,
        "ada@example.com",
        "ada",
        "Ada L",
        "user",
        True,
    )
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert signed_in.token_type == "Bearer"
    assert signed_in.expires_in == 15 * 60
    identity = await claims_of(signed_in.access_token, policy, clock)
    assert identity == Identity(
        "user:1", user_id=1, roles=frozenset({"user"}), scopes=frozenset({"user"})
    )
    stored = (await session.scalars(select(RefreshTokenRow))).all()
    assert [row.token_hash for row in stored] == [hash_refresh_token(signed_in.refresh_token)]
    assert signed_in.refresh_token not in {row.token_hash for row in stored}
    (body,) = (await session.scalars(select(outbox.c.body))).all()
    event = Event.from_json(body)
    assert (event.type, event.actor, event.payload["user_id"]) == ("user.created", "user:1", "1")


async def test_register_without_a_name_uses_the_username(sessions) -> None:
    signed_in = await register(sessions, username="grace_h")

    assert signed_in.user.name == "grace_h"


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"password": "short"}, "password", "8 to 128"),
        ({"password": "x" * 129}, "password", "8 to 128"),
        ({"password": "ADA@example.com"}, "password", "email"),
        ({"password": "adalovelace", "username": "AdaLovelace"}, "password", "username"),
        ({"username": "ad"}, "username", "3 to 32"),
        ({"username": "ada lovelace"}, "username", "letters, digits"),
        ({"username": "ada@home"}, "username", "letters, digits"),
        ({"username": "_ada"}, "username", "start with"),
        ({"email": "nope"}, "email", "name@example.com"),
        ({"name": " "}, "name", "not blank"),
    ],
)
async def test_register_refuses_bad_input_naming_the_field(sessions, fields, field, words) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await register(sessions, **fields)

    assert caught.value.field == field
    assert words in caught.value.message


async def test_register_accepts_password_length_boundaries(sessions) -> None:
    short = await register(sessions, password="8 chars!")
    long = await register(sessions, email="b@example.com", username="bob", password="p" * 128)

    assert short.user.id == 1 and long.user.id == 2


async def test_register_refuses_a_taken_email_or_username_naming_it(sessions) -> None:
    await register(sessions)

    with pytest.raises(Conflict) as email:
        await register(sessions, email="ADA@example.com", username="other")
    with pytest.raises(Conflict) as username:
        await register(sessions, email="other@example.com", username="ADA")

    assert email.value.field == "email"
    assert (username.value.field, username.value.code) == ("username", "CONFLICT")
    assert "username is taken" in username.value.message
    assert "ada" not in username.value.message


# -- login ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ada", "ADA", " Ada ", "ada@example.com", "Ada@EXAMPLE.com"])
async def test_login_with_email_or_username_in_any_case(sessions, policy, clock, name) -> None:
    await register(sessions)

    signed_in = await login(sessions, name)

    assert signed_in.user.username == "ada"
    assert (await claims_of(signed_in.access_token, policy, clock)).user_id == 1


async def test_each_login_starts_its_own_session(sessions, session) -> None:
    first = await register(sessions)
    second = await login(sessions)

    families = (await session.scalars(select(RefreshTokenRow.family_id))).all()
    assert first.refresh_token != second.refresh_token
    assert len(set(families)) == 2


async def test_wrong_password_and_unknown_login_fail_alike(sessions) -> None:
    await register(sessions)

    with pytest.raises(Unauthenticated) as wrong:
        await login(sessions, password="not the password")
    with pytest.raises(Unauthenticated) as unknown:
        await login(sessions, "nobody@example.com")

    assert wrong.value.message == unknown.value.message == "Wrong login or password."
    assert wrong.value.extensions() == unknown.value.extensions() == {"code": "UNAUTHENTICATED"}


class CountingHasher(PasswordHasher):
    """argon2-cffi's hasher at the cheapest cost, counting the verifications it runs."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified += 1
        return super().verify(hash, password)


async def test_an_unknown_login_and_an_account_without_password_still_verify_a_hash(
    sessions, service, policy
) -> None:
    hasher = CountingHasher()
    counted = replace(policy, passwords=Passwords(hasher))
    await service.create(email="nopass@example.com", name="No Password")

    for name in ("nobody", "nopass"):
        with pytest.raises(Unauthenticated, match="Wrong login or password"):
            await sessions(counted).login(login=name, password=PASSWORD, client_address=HOME)

    assert hasher.verified == 2


async def test_login_rehashes_a_hash_made_with_older_parameters(sessions, policy) -> None:
    old = await register(sessions)  # the cheap test parameters
    current = replace(policy, passwords=Passwords(PasswordHasher()))  # argon2-cffi's defaults

    signed_in = await sessions(current).login(login="ada", password=PASSWORD, client_address=HOME)

    new_hash = signed_in.user.password_hash
    assert new_hash != old.user.password_hash
    assert not PasswordHasher().check_needs_rehash(new_hash)
    assert PasswordHasher().verify(new_hash, PASSWORD)
    again = await sessions(current).login(login="ada", password=PASSWORD, client_address=HOME)
    assert again.user.password_hash == new_hash  # current parameters: no second rehash


async def test_a_deactivated_account_cannot_log_in_even_with_its_password(
    sessions, service
) -> None:
    await register(sessions)
    await service.update(1, active=False)

    with pytest.raises(Unauthenticated, match="deactivated"):
        await login(sessions)
    with pytest.raises(Unauthenticated, match="Wrong login or password"):
        await login(sessions, password="wrong password")


async def test_login_refuses_blank_or_oversized_input(sessions) -> None:
    with pytest.raises(ValidationFailed) as blank:
        await login(sessions, "  ", "")
    with pytest.raises(ValidationFailed) as huge:
        await login(sessions, "ada", "p" * 129)

    assert [p.field for p in blank.value.problems] == ["login", "password"]
    assert huge.value.field == "password"


# -- throttling -----------------------------------------------------------------------------------


async def fail(sessions, name: str = "ada", address: str | None = HOME) -> None:
    with pytest.raises(Unauthenticated):
        await login(sessions, name, "wrong password", address)


async def test_too_many_failures_on_an_account_refuse_even_the_right_password(
    sessions, clock
) -> None:
    await register(sessions)
    start = clock.now
    for minute in range(3):  # the test policy allows 3 per account in 15 minutes
        clock.now = start + timedelta(minutes=minute)
        await fail(sessions, address=f"203.0.113.{minute}")
    clock.now = start + timedelta(minutes=3)

    with pytest.raises(TooManyAttempts) as refused:
        await login(sessions, address=CAFE)

    # The first failure leaves the window at start + 15 min: 12 minutes from now.
    assert refused.value.retry_after == 12 * 60
    assert refused.value.extensions() == {"code": "TOO_MANY_ATTEMPTS", "retryAfter": 720}
    assert "try again in 720 seconds" in refused.value.message

    clock.now = start + timedelta(minutes=15, seconds=1)
    assert (await login(sessions, address=CAFE)).user.id == 1


async def test_throttled_attempts_do_not_extend_the_lock(sessions, session, clock) -> None:
    await register(sessions)
    for _ in range(3):
        await fail(sessions)
    for _ in range(5):
        with pytest.raises(TooManyAttempts):
            await login(sessions, password="wrong again")

    count = await session.scalar(select(func.count()).select_from(LoginFailureRow))
    assert count == 6  # 3 per account, 3 per address: the refused tries were not counted


async def test_a_successful_login_clears_the_accounts_failures(sessions) -> None:
    await register(sessions)
    await fail(sessions)
    await fail(sessions)
    await login(sessions)

    await fail(sessions)
    await fail(sessions)
    assert (await login(sessions)).user.id == 1  # 2 failures since the success: under 3


async def test_unknown_logins_are_throttled_like_accounts(sessions) -> None:
    for _ in range(3):
        await fail(sessions, "ghost")

    with pytest.raises(TooManyAttempts):
        await login(sessions, "GHOST")


async def test_failures_from_one_address_ask_it_for_a_challenge_and_no_other(sessions) -> None:
    await register(sessions)
    await register(sessions, email="grace@example.com", username="grace")
    for name in ("bob", "carol", "dave", "erin", "frank"):  # 5 per address in the test policy
        await fail(sessions, name, HOME)

    with pytest.raises(ChallengeRequired):
        await login(sessions, "grace", address=HOME)
    assert (await login(sessions, "grace", address=CAFE)).user.username == "grace"


async def test_callers_without_an_address_share_one_limit(sessions) -> None:
    await register(sessions)
    for name in ("bob", "carol", "dave", "erin", "frank"):
        await fail(sessions, name, None)

    with pytest.raises(ChallengeRequired):
        await login(sessions, address=None)
    assert (await login(sessions, address=HOME)).user.id == 1


async def test_a_burst_of_parallel_guesses_gets_at_most_the_limit_checked(
    tmp_path, policy, clock
) -> None:
    # A file database with its own connections, so the logins really run side by side.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'burst.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(UsersBase.metadata.create_all)
    factory = create_session_factory(engine)
    hasher = CountingHasher()
    counted = replace(policy, passwords=Passwords(hasher))

    async def attempt(password: str) -> str:
        async with factory() as session:
            service = SessionService(RequestDb(session), counted, clock=clock)
            try:
                await service.login(login="ada", password=password, client_address=HOME)
            except (Unauthenticated, TooManyAttempts) as error:
                return error.code
            return "OK"

    try:
        async with factory() as session:
            await SessionService(RequestDb(session), counted, clock=clock).register(
                email="ada@example.com", username="ada", password=PASSWORD
            )
        outcomes = await asyncio.gather(*(attempt(f"guess number {n}") for n in range(8)))
        after = await attempt(PASSWORD)
    finally:
        await engine.dispose()

    # The test policy allows 3 failures per account: never more than 3 guesses are verified.
    assert outcomes.count("UNAUTHENTICATED") <= 3
    assert outcomes.count("TOO_MANY_ATTEMPTS") >= 5
    assert hasher.verified == outcomes.count("UNAUTHENTICATED")
    assert after == ("TOO_MANY_ATTEMPTS" if outcomes.count("UNAUTHENTICATED") == 3 else "OK")


async def test_old_failures_are_pruned_when_new_ones_are_recorded(sessions, session, clock) -> None:
    await fail(sessions, "ghost")
    await fail(sessions, "ghost")
    clock.advance(minutes=16)

    await fail(sessions, "phantom")

    keys = (await session.scalars(select(LoginFailureRow.key))).all()
    assert sorted(keys) == ["address:198.51.100.1", "login:phantom"]


# -- refresh --------------------------------------------------------------------------------------


async def test_refresh_rotates_within_the_family(sessions, session, policy, clock) -> None:
    first = await register(sessions)
    clock.advance(minutes=20)

    second = await sessions().refresh(first.refresh_token)

    assert second.refresh_token != first.refresh_token
    assert (await claims_of(second.access_token, policy, clock)).user_id == 1
    rows = (await session.scalars(select(RefreshTokenRow).order_by(RefreshTokenRow.id))).all()
    assert len({row.family_id for row in rows}) == 1
    assert rows[0].used_at is not None and rows[1].used_at is None
    third = await sessions().refresh(second.refresh_token)
    assert third.user.id == 1


async def test_reusing_a_spent_token_revokes_the_family(sessions) -> None:
    first = await register(sessions)
    second = await sessions().refresh(first.refresh_token)
    other_device = await login(sessions)

    with pytest.raises(Unauthenticated) as reused:
        await sessions().refresh(first.refresh_token)
    with pytest.raises(Unauthenticated) as revoked:
        await sessions().refresh(second.refresh_token)

    assert reused.value.message == Refused.REUSED.value
    assert "log in again" in reused.value.message.lower()
    assert revoked.value.message == Refused.REVOKED.value
    # Another sign-in of the same user is another family: untouched.
    assert (await sessions().refresh(other_device.refresh_token)).user.id == 1


async def test_a_token_spends_once_whoever_asks_first(sessions, session) -> None:
    first = await register(sessions)
    row = await session_repository.find_token(session, hash_refresh_token(first.refresh_token))
    now = row.created_at

    assert await session_repository.spend_token(session, row.id, now) is True
    assert await session_repository.spend_token(session, row.id, now) is False


async def test_an_expired_refresh_token_is_refused(sessions, clock) -> None:
    first = await register(sessions)
    clock.advance(days=14, seconds=1)

    with pytest.raises(Unauthenticated) as caught:
        await sessions().refresh(first.refresh_token)

    assert caught.value.message == "This refresh token has expired; log in again."


async def test_refresh_is_valid_for_the_configured_days_from_each_rotation(sessions, clock) -> None:
    first = await register(sessions)
    clock.advance(days=13)
    second = await sessions().refresh(first.refresh_token)
    clock.advance(days=13)

    assert (await sessions().refresh(second.refresh_token)).user.id == 1


async def test_unknown_and_malformed_refresh_tokens(sessions) -> None:
    with pytest.raises(Unauthenticated, match="Unknown refresh token; log in again"):
        await sessions().refresh("A" * 43)
    with pytest.raises(ValidationFailed) as malformed:
        await sessions().refresh("not a token")

    assert malformed.value.field == "refreshToken"


async def test_refresh_carries_the_current_role(sessions, service, policy, clock) -> None:
    first = await register(sessions)
    await service.update(1, role="admin")

    refreshed = await sessions().refresh(first.refresh_token)

    identity = await claims_of(refreshed.access_token, policy, clock)
    assert identity.roles == frozenset({"admin"}) and identity.scopes == frozenset({"admin"})


@pytest.mark.parametrize(
    "change",
    [
        {"active": False},
        {"password": "a brand new password"},
    ],
)
async def test_deactivating_or_setting_a_password_ends_every_session(
    sessions, service, change
) -> None:
    first = await register(sessions)
    second = await login(sessions)

    await service.update(1, **change)

    for signed_in in (first, second):
        with pytest.raises(Unauthenticated, match="revoked"):
            await sessions().refresh(signed_in.refresh_token)


async def test_deleting_a_user_ends_every_session(sessions, service) -> None:
    first = await register(sessions)

    await service.delete(1)

    with pytest.raises(Unauthenticated, match="log in again"):
        await sessions().refresh(first.refresh_token)
    with pytest.raises(Unauthenticated, match="Wrong login or password"):
        await login(sessions)


async def test_an_account_deactivated_behind_the_services_back_is_refused_and_revoked(
    sessions, session
) -> None:
    first = await register(sessions)
    user = await session.get(UserRow, 1)
    user.active = False  # e.g. an operator's SQL: no revocation ran
    await session.commit()

    with pytest.raises(Unauthenticated) as caught:
        await sessions().refresh(first.refresh_token)

    assert caught.value.message == Refused.ACCOUNT.value
    revoked = await session.scalar(select(RefreshTokenRow.revoked_at))
    assert revoked is not None


# -- logout ---------------------------------------------------------------------------------------


async def test_logout_ends_only_that_sign_in(sessions) -> None:
    phone = await register(sessions)
    laptop = await login(sessions)
    rotated = await sessions().refresh(phone.refresh_token)

    assert await sessions().logout(phone.refresh_token) is True

    with pytest.raises(Unauthenticated, match="revoked"):
        await sessions().refresh(rotated.refresh_token)
    assert (await sessions().refresh(laptop.refresh_token)).user.id == 1


async def test_logout_everywhere_ends_every_sign_in(sessions) -> None:
    phone = await register(sessions)
    laptop = await login(sessions)

    assert await sessions().logout(phone.refresh_token, everywhere=True) is True

    for signed_in in (phone, laptop):
        with pytest.raises(Unauthenticated, match="revoked"):
            await sessions().refresh(signed_in.refresh_token)


async def test_logout_with_an_unknown_token_is_true_and_a_malformed_one_invalid(sessions) -> None:
    assert await sessions().logout("B" * 43) is True
    assert await sessions().logout("B" * 43, everywhere=True) is True

    with pytest.raises(ValidationFailed) as caught:
        await sessions().logout("bad token!")
    assert caught.value.field == "refreshToken"


# -- tokens from an identity provider -------------------------------------------------------------


async def test_with_an_identity_provider_this_service_issues_no_tokens(
    sessions, policy, session
) -> None:
    signed_in = await register(sessions)
    external = replace(
        policy,
        auth=AuthSettings(auth_jwt_algorithm="RS256", auth_jwks_url="https://idp.example/jwks"),
    )

    attempts = [
        sessions(external).register(email="new@example.com", username="newbie", password=PASSWORD),
        sessions(external).login(login="ada", password=PASSWORD, client_address=HOME),
        sessions(external).refresh(signed_in.refresh_token),
    ]
    for attempt in attempts:
        with pytest.raises(TokenIssuingDisabled) as caught:
            await attempt
        assert caught.value.code == "TOKEN_ISSUING_DISABLED"
        assert "identity provider" in caught.value.message
        assert "RS256" in caught.value.message

    users = await UserService(RequestDb(session)).list_page()
    assert users.total == 1  # register created nothing
    assert await sessions(external).logout(signed_in.refresh_token) is True

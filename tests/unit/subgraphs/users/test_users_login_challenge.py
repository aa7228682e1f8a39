"""Login throttling per address: never a lock, a challenge to solve (the clock is fixed).

One client behind a shared address (a proxy, a NAT) must not lock every other client out, so
failures from one address ask each further attempt from there for a solved proof of work;
failures on one account still lock that account (test_users_sessions.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from common.errors import ChallengeRequired, TooManyAttempts, Unauthenticated, ValidationFailed
from subgraphs.users.challenge import (
    ALGORITHM,
    Accepted,
    ChallengeAnswer,
    ProofOfWork,
    leading_zero_bits,
    solve,
)
from subgraphs.users.models import LoginFailureRow, SpentChallengeRow
from subgraphs.users.throttling import address_key, challenge_difficulty

PASSWORD = "correct horse battery"
SHARED, OTHER = "198.51.100.1", "198.51.100.2"
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


async def register(sessions, username: str) -> None:
    await sessions().register(email=f"{username}@example.com", username=username, password=PASSWORD)


async def login(sessions, name: str, password: str = PASSWORD, address: str | None = SHARED, **kw):
    return await sessions().login(login=name, password=password, client_address=address, **kw)


async def spray(sessions, count: int = 5, address: str | None = SHARED) -> None:
    """`count` failed logins with invented usernames (5 is the test policy's address limit)."""
    for number in range(count):
        with pytest.raises(Unauthenticated):
            await login(sessions, f"invented{number}", "wrong password", address)


async def challenged(sessions, name: str, **kw) -> ChallengeRequired:
    with pytest.raises(ChallengeRequired) as refused:
        await login(sessions, name, **kw)
    return refused.value


def solved(refused: ChallengeRequired) -> dict:
    token = refused.challenge["token"]
    return {"challenge": token, "challenge_solution": solve(token, refused.challenge["difficulty"])}


def failing_solution(token: str, difficulty: int) -> str:
    """A solution that does not solve the challenge."""
    return next(
        guess
        for guess in map(str, range(1000))
        if leading_zero_bits(hashlib.sha256(f"{token}:{guess}".encode()).digest()) < difficulty
    )


# -- the policy -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "difficulty"),
    [(6, 16), (9, 16), (10, 17), (19, 17), (20, 18), (40, 19), (80, 20), (10_000, 20)],
)
def test_the_difficulty_grows_a_bit_each_time_failures_double(failures, difficulty) -> None:
    assert challenge_difficulty(failures, limit=5, bits=16, max_bits=20) == difficulty


def test_a_solution_has_the_leading_zero_bits_asked() -> None:
    assert leading_zero_bits(b"\x00\x00\xff") == 16
    assert leading_zero_bits(b"\x00\x1f") == 11
    assert leading_zero_bits(b"\x80") == 0
    challenge = ProofOfWork("secret-of-the-users-service-0123456789").issue("address:x", 8, NOW)
    assert challenge["algorithm"] == ALGORITHM and challenge["expiresIn"] == 300
    solution = solve(challenge["token"], 8)
    digest = hashlib.sha256(f"{challenge['token']}:{solution}".encode()).digest()
    assert leading_zero_bits(digest) >= 8


def test_only_a_challenge_of_this_service_for_this_address_in_time_is_accepted() -> None:
    pow_ = ProofOfWork("secret-of-the-users-service-0123456789", new_id=lambda: "c1")
    token = pow_.issue("address:a", 6, NOW)["token"]
    good = ChallengeAnswer(token, solve(token, 6))

    accepted = pow_.accept(good, "address:a", NOW + timedelta(minutes=4))
    assert accepted.id == "c1" and accepted.expires_at == NOW + timedelta(minutes=5)
    assert "another address" in pow_.accept(good, "address:b", NOW)
    assert "expired" in pow_.accept(good, "address:a", NOW + timedelta(minutes=5))
    stranger = ProofOfWork("another-secret-entirely-0123456789abcdef")
    assert "not a challenge" in stranger.accept(good, "address:a", NOW)
    wrong = ChallengeAnswer(token, failing_solution(token, 6))
    assert "does not solve" in pow_.accept(wrong, "address:a", NOW)


# -- through login ------------------------------------------------------------------------------


async def test_failures_from_an_address_never_lock_it_a_solved_challenge_gets_through(
    sessions,
) -> None:
    await register(sessions, "grace")
    await spray(sessions)

    refused = await challenged(sessions, "grace")

    extensions = refused.extensions()
    assert extensions["code"] == "CHALLENGE_REQUIRED"
    assert extensions["challenge"]["difficulty"] == 4  # the test policy's challenge_bits
    assert "retryAfter" not in extensions
    assert "solve extensions.challenge" in refused.message
    signed_in = await login(sessions, "grace", **solved(refused))
    assert signed_in.user.username == "grace"


async def test_a_solved_challenge_lets_one_attempt_through(sessions, session) -> None:
    await register(sessions, "grace")
    await spray(sessions)
    answer = solved(await challenged(sessions, "grace"))

    with pytest.raises(Unauthenticated):  # through, to the password check
        await login(sessions, "grace", "wrong password", **answer)
    again = await challenged(sessions, "grace", **answer)

    assert "used already" in again.message
    assert await session.scalar(select(func.count()).select_from(SpentChallengeRow)) == 1


async def test_a_refused_answer_says_why_and_brings_a_new_challenge(sessions) -> None:
    await register(sessions, "grace")
    await spray(sessions)
    await spray(sessions, address=OTHER)
    first = await challenged(sessions, "grace")
    token = first.challenge["token"]

    elsewhere = await challenged(sessions, "grace", address=OTHER, **solved(first))
    unsolved = await challenged(
        sessions, "grace", challenge=token, challenge_solution=failing_solution(token, 4)
    )

    assert "another address" in elsewhere.message
    assert "does not solve" in unsolved.message
    assert unsolved.challenge["token"] != token


async def test_an_expired_challenge_is_refused(sessions, clock) -> None:
    await register(sessions, "grace")
    await spray(sessions)
    answer = solved(await challenged(sessions, "grace"))
    clock.advance(minutes=5)

    with pytest.raises(ChallengeRequired) as refused:
        await login(sessions, "grace", **answer)
    assert "expired" in refused.value.message


async def test_guessing_on_with_solved_challenges_makes_them_harder(sessions) -> None:
    await spray(sessions)
    difficulties = []
    for number in range(6):
        refused = await challenged(sessions, f"more{number}", password="wrong password")
        difficulties.append(refused.challenge["difficulty"])
        with pytest.raises(Unauthenticated):
            await login(sessions, f"more{number}", "wrong password", **solved(refused))

    # 6, 7, 8, 9 failures: 4 bits; 10 and 11 (twice the limit): 5; capped at 6 further on.
    assert difficulties == [4, 4, 4, 4, 5, 5]


async def test_refused_attempts_are_not_counted(sessions, session) -> None:
    await spray(sessions)
    for _ in range(3):
        await challenged(sessions, "grace")
    count = await session.scalar(
        select(func.count())
        .select_from(LoginFailureRow)
        .where(LoginFailureRow.key == address_key(SHARED))
    )
    assert count == 5


async def test_the_account_lock_still_applies_behind_a_solved_challenge(sessions) -> None:
    await register(sessions, "grace")
    await spray(sessions, count=2)
    for _ in range(3):  # the test policy: 3 per account, from the same address
        with pytest.raises(Unauthenticated):
            await login(sessions, "grace", "wrong password")
    # The address now has 5 failures, the account 3: the account's lock comes first.
    with pytest.raises(TooManyAttempts):
        await login(sessions, "grace", address=OTHER)


async def test_a_challenge_answer_is_both_fields_or_neither(sessions) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await login(sessions, "grace", challenge="abc")
    assert refused.value.field == "challengeSolution"


async def test_another_hook_can_stand_in_for_proof_of_work(sessions, policy) -> None:
    class Captcha:
        """What a CAPTCHA provider's adapter looks like: the provider checks the answer."""

        def issue(self, address_key, difficulty, now):
            return {"kind": "captcha", "siteKey": "site-key-of-the-provider"}

        def accept(self, answer, address_key, now):
            if answer.solution == "human":
                return Accepted(
                    id=f"captcha:{answer.challenge}", expires_at=now + timedelta(minutes=1)
                )
            return "The CAPTCHA was not solved; try again."

    captcha = replace(policy, challenge=Captcha())
    await register(sessions, "grace")
    await spray(sessions)
    with pytest.raises(ChallengeRequired) as refused:
        await sessions(captcha).login(login="grace", password=PASSWORD, client_address=SHARED)
    assert refused.value.challenge == {"kind": "captcha", "siteKey": "site-key-of-the-provider"}
    signed_in = await sessions(captcha).login(
        login="grace",
        password=PASSWORD,
        client_address=SHARED,
        challenge="t1",
        challenge_solution="human",
    )
    assert signed_in.user.username == "grace"

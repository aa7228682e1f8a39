"""Rules for user input: each returns the clean value or a FieldProblem naming the field."""

from __future__ import annotations

import re

from common.errors import FieldProblem
from subgraphs.kit.text import required_text, unstorable
from subgraphs.users.challenge import MAX_SOLUTION_LENGTH, MAX_TOKEN_LENGTH, ChallengeAnswer

MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 100
MIN_AGE, MAX_AGE = 0, 150

# local@domain.tld: no spaces, one @, dot-separated domain labels, a letters-only TLD.
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def clean_email(value: str | None) -> str | FieldProblem:
    """The email trimmed and lower-cased, if it looks like local@domain.tld."""
    email = (value or "").strip().lower()
    if len(email) > MAX_EMAIL_LENGTH:
        return FieldProblem("email", f"must be at most {MAX_EMAIL_LENGTH} characters")
    if not _EMAIL.match(email):
        return FieldProblem("email", "must be an address like name@example.com")
    return email


def clean_name(value: str | None) -> str | FieldProblem:
    """The name trimmed, if 1 to 100 characters remain."""
    return required_text(value, "name", MAX_NAME_LENGTH)


def clean_age(value: int | None) -> int | FieldProblem | None:
    """The age, if absent or between 0 and 150."""
    if value is not None and not MIN_AGE <= value <= MAX_AGE:
        return FieldProblem("age", f"must be between {MIN_AGE} and {MAX_AGE}")
    return value


def clean_active(value: bool | None) -> bool | FieldProblem:
    """The active flag, which cannot be null."""
    if value is None:
        return FieldProblem("active", "must be true or false, not null")
    return value


MIN_USERNAME_LENGTH, MAX_USERNAME_LENGTH = 3, 32
MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH = 8, 128
#: A login is an email or a username, so it is never longer than an email.
MAX_LOGIN_LENGTH = MAX_EMAIL_LENGTH

# Lower-case letters, digits, `.`, `_`, `-`, starting with a letter or digit; never an `@`, so a
# login with an `@` is an email and one without is a username.
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def clean_username(value: str | None) -> str | FieldProblem:
    """The username trimmed and lower-cased, if 3 to 32 letters, digits, `.`, `_` or `-`."""
    username = (value or "").strip().lower()
    if not MIN_USERNAME_LENGTH <= len(username) <= MAX_USERNAME_LENGTH:
        return FieldProblem(
            "username",
            f"must be {MIN_USERNAME_LENGTH} to {MAX_USERNAME_LENGTH} characters",
        )
    if not _USERNAME.match(username):
        return FieldProblem(
            "username",
            "may hold only letters, digits, '.', '_' and '-', and must start with a letter "
            "or digit",
        )
    return username


def username_from_email(email: str) -> str:
    """A valid username made from an email's local part (`Ada.L+x@...` -> `ada.lx`)."""
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@", 1)[0].lower())
    base = re.sub(r"^[^a-z0-9]+", "", base)[:MAX_USERNAME_LENGTH]
    if len(base) < MIN_USERNAME_LENGTH:
        base = f"{base}-user" if base else "user"
    return base


def numbered_username(base: str, number: int) -> str:
    """`base` with `-<number>` (from 2), shortened to fit; `base` itself for 1."""
    if number <= 1:
        return base
    suffix = f"-{number}"
    return base[: MAX_USERNAME_LENGTH - len(suffix)] + suffix


def clean_password(
    value: str | None, *, email: object = None, username: object = None
) -> str | FieldProblem:
    """The password as given, if 8 to 128 characters and not the account's email or username.

    The upper bound keeps the hasher's work bounded; nothing is trimmed.
    """
    password = value or ""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        return FieldProblem(
            "password",
            f"must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters",
        )
    problem = unstorable(password)
    if problem:
        return FieldProblem("password", problem)
    lowered = password.strip().lower()
    for name, other in (("email", email), ("username", username)):
        if isinstance(other, str) and lowered == other.strip().lower():
            return FieldProblem("password", f"must not be the same as the {name}")
    return password


def clean_role(value: str | None) -> str | FieldProblem:
    """The role, `user` or `admin`."""
    if value not in ("user", "admin"):
        return FieldProblem("role", "must be USER or ADMIN")
    return value


def clean_login(value: str | None) -> str | FieldProblem:
    """An email or username trimmed and lower-cased (logins match in any case)."""
    login = (value or "").strip().lower()
    if not login:
        return FieldProblem("login", "must be your email or username (not blank)")
    if len(login) > MAX_LOGIN_LENGTH:
        return FieldProblem("login", f"must be at most {MAX_LOGIN_LENGTH} characters")
    problem = unstorable(login)
    return FieldProblem("login", problem) if problem else login


def clean_challenge_answer(
    challenge: str | None, solution: str | None
) -> ChallengeAnswer | FieldProblem | None:
    """A login challenge and its solution, both or neither (None)."""
    if challenge is None and solution is None:
        return None
    if challenge is None or solution is None:
        missing = "challenge" if challenge is None else "challengeSolution"
        return FieldProblem(missing, "give challenge and challengeSolution together")
    if not 1 <= len(challenge) <= MAX_TOKEN_LENGTH:
        return FieldProblem("challenge", "must be the challenge as CHALLENGE_REQUIRED gave it")
    if not 1 <= len(solution) <= MAX_SOLUTION_LENGTH:
        return FieldProblem("challengeSolution", f"must be 1 to {MAX_SOLUTION_LENGTH} characters")
    return ChallengeAnswer(challenge, solution)


def clean_login_password(value: str | None) -> str | FieldProblem:
    """A password given to log in: not empty and not longer than any password can be."""
    password = value or ""
    if not password:
        return FieldProblem("password", "must not be empty")
    if len(password) > MAX_PASSWORD_LENGTH:
        return FieldProblem("password", f"must be at most {MAX_PASSWORD_LENGTH} characters")
    problem = unstorable(password)
    return FieldProblem("password", problem) if problem else password

"""Rules for user input: each returns the clean value or a FieldProblem naming the field."""

from __future__ import annotations

import re

from common.errors import FieldProblem

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
    name = (value or "").strip()
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        return FieldProblem("name", f"must be 1 to {MAX_NAME_LENGTH} characters (not blank)")
    return name


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

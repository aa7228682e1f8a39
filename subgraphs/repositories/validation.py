"""Rules for repository input: each returns the clean value or a FieldProblem naming the field."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from common.errors import FieldProblem
from subgraphs.kit.ids import parse_id
from subgraphs.kit.text import optional_text, required_text
from subgraphs.repositories.models import Visibility

MAX_NAME_LENGTH = 100
MAX_DESCRIPTION_LENGTH = 1000
MAX_URL_LENGTH = 2048

# Letters, digits, `-`, `_` and `.`, as Git hosts allow in repository names.
_NAME = re.compile(r"^[A-Za-z0-9._-]+$")


def clean_name(value: str | None) -> str | FieldProblem:
    """The name trimmed, if 1 to 100 letters, digits, `-`, `_` or `.` (not `.` or `..`)."""
    name = required_text(value, "name", MAX_NAME_LENGTH)
    if isinstance(name, FieldProblem):
        return name
    if not _NAME.match(name) or name in {".", ".."}:
        return FieldProblem("name", "may hold only letters, digits, '-', '_' and '.'")
    return name


def clean_description(value: str | None) -> str | FieldProblem | None:
    """The description trimmed, None when blank; at most 1000 characters."""
    return optional_text(value, "description", MAX_DESCRIPTION_LENGTH)


def clean_owner_id(value: object) -> int | FieldProblem:
    """The owner's user id. The users subgraph is not asked whether the user exists."""
    owner_id = parse_id(value)
    if owner_id is None:
        return FieldProblem("ownerId", "must be the id of a user (a positive whole number)")
    return owner_id


def clean_visibility(value: Visibility | None) -> Visibility | FieldProblem:
    """The visibility, which cannot be null."""
    if value is None:
        return FieldProblem("visibility", "must be PRIVATE or PUBLIC, not null")
    return value


def clean_url(value: str | None) -> str | FieldProblem | None:
    """An absolute http(s) URL with a host, at most 2048 characters; None when blank."""
    url = (value or "").strip()
    if not url:
        return None
    problem = FieldProblem("url", "must be an http:// or https:// URL with a host name")
    if len(url) > MAX_URL_LENGTH:
        return FieldProblem("url", f"must be at most {MAX_URL_LENGTH} characters")
    if any(char.isspace() for char in url):
        return problem
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return problem
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return problem
    return url


def clean_active(value: bool | None) -> bool | FieldProblem:
    """The active flag, which cannot be null."""
    if value is None:
        return FieldProblem("active", "must be true or false, not null")
    return value

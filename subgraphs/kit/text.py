"""Text a client sends: what no field may hold, and the bounded-text rules every domain shares.

Every string argument of every subgraph is checked before its resolver runs
(`subgraphs.kit.boundary`): no NUL, no half of a surrogate pair (neither fits a UTF-8 column or a
PostgreSQL `text`), at most `MAX_ARGUMENT_LENGTH` characters. Each field's own bounds, the same
as the REST shims' (gateway/rest/), are the domain's rule, written with the helpers here.
"""

from __future__ import annotations

from common.errors import FieldProblem

#: No string argument is longer, whatever its field (each field's own bound is much tighter);
#: 4 UTF-8 bytes a character stays under SQLite's 50,000-byte LIKE pattern limit.
MAX_ARGUMENT_LENGTH = 10_000
#: `search` arguments of every list (as `q`/`search` of the REST shims).
MAX_SEARCH_LENGTH = 200

_NUL = "\x00"


def unstorable(value: str) -> str | None:
    """What in `value` no database can store, said as a rule; None when it is clean."""
    if _NUL in value:
        return "must not contain the NUL character (U+0000)"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return (
            "must be valid Unicode text: it holds half of a surrogate pair (U+D800 to U+DFFF); "
            "send the whole character"
        )
    return None


def argument_problem(value: str) -> str | None:
    """Why a string argument is refused before any rule of its field runs; None when it is not."""
    if len(value) > MAX_ARGUMENT_LENGTH:
        return f"must be at most {MAX_ARGUMENT_LENGTH} characters"
    return unstorable(value)


def required_text(value: str | None, field: str, max_length: int) -> str | FieldProblem:
    """`value` trimmed, if 1 to `max_length` storable characters remain."""
    text = (value or "").strip()
    if not 1 <= len(text) <= max_length:
        return FieldProblem(field, f"must be 1 to {max_length} characters (not blank)")
    return _storable(text, field)


def optional_text(value: str | None, field: str, max_length: int) -> str | FieldProblem | None:
    """`value` trimmed (None when absent or blank), if at most `max_length` storable characters."""
    text = (value or "").strip()
    if len(text) > max_length:
        return FieldProblem(field, f"must be at most {max_length} characters")
    return _storable(text, field) if text else None


def exact_text(value: str | None, field: str, max_length: int) -> str | FieldProblem | None:
    """`value` as given (None when absent), if 1 to `max_length` storable characters: for
    filters that match exactly."""
    if value is None:
        return None
    if not 1 <= len(value) <= max_length:
        return FieldProblem(field, f"must be 1 to {max_length} characters")
    return _storable(value, field)


def clean_search(value: str | None, field: str = "search") -> str | FieldProblem | None:
    """A list's search text trimmed (None when absent or blank), at most 200 characters."""
    return optional_text(value, field, MAX_SEARCH_LENGTH)


def _storable(text: str, field: str) -> str | FieldProblem:
    problem = unstorable(text)
    return FieldProblem(field, problem) if problem else text


def contains_pattern(search: str) -> str:
    """A LIKE pattern matching `search` literally anywhere, case-folded (its `%`, `_` and `\\`
    escaped; use it with `escape="\\\\"`)."""
    escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

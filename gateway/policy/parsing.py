"""Parsing under limits: a token budget (graphql-core's `max_tokens`) and a nesting guard that
scans the source for bracket depth first, so a document nested thousands of levels deep is a
400 (`MAX_DEPTH_LIMIT`), never a recursion in the parser."""

from __future__ import annotations

from graphql import DocumentNode, GraphQLSyntaxError, parse

from gateway.policy.errors import MAX_DEPTH_LIMIT, MAX_TOKENS_LIMIT, PolicyError

_OPEN = frozenset("{([")
_CLOSE = frozenset("})]")
#: a depth no honest document reaches, whatever `GATEWAY_MAX_DEPTH` says: the parser recurses
NESTING_CEILING = 256


def nesting_cap(max_depth: int) -> int:
    """Bracket depth refused before parsing: twice the operation depth limit (arguments and
    input objects nest too), at least 32, at most `NESTING_CEILING`."""
    return min(max(2 * max_depth, 32), NESTING_CEILING)


def bracket_depth(source: str, cap: int) -> int:
    """The deepest nesting of `{`, `(` and `[` in `source`, strings and comments ignored;
    the scan stops as soon as `cap` is passed."""
    depth = deepest = 0
    index, length = 0, len(source)
    while index < length:
        char = source[index]
        if char == "#":
            end = source.find("\n", index)
            index = length if end < 0 else end
        elif char == '"':
            index = _string_end(source, index)
            continue
        elif char in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > cap:
                    return deepest
        elif char in _CLOSE:
            depth -= 1
        index += 1
    return deepest


def _string_end(source: str, start: int) -> int:
    """The index after the string (or block string) opening at `start`."""
    if source.startswith('"""', start):
        index = start + 3
        while True:
            end = source.find('"""', index)
            if end < 0:
                return len(source)
            if source[end - 1] != "\\":
                return end + 3
            index = end + 3
    index = start + 1
    length = len(source)
    while index < length:
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == '"' or char == "\n":
            return index + 1
        index += 1
    return length


def parse_limited(query: str, *, max_tokens: int, max_depth: int) -> DocumentNode:
    """`query` parsed; `PolicyError` when it nests too deeply or has too many tokens.
    Other syntax errors propagate as `GraphQLSyntaxError`."""
    cap = nesting_cap(max_depth)
    if bracket_depth(query, cap) > cap:
        raise _too_deep(cap)
    try:
        return parse(query, max_tokens=max_tokens)
    except GraphQLSyntaxError as exc:
        if "tokens" in exc.message and "Parsing aborted" in exc.message:
            raise PolicyError(
                400,
                MAX_TOKENS_LIMIT,
                f"The document has more than {max_tokens} tokens; send a smaller operation.",
            ) from None
        if "nested too deeply" in exc.message:
            raise _too_deep(cap) from None
        raise
    except RecursionError:
        raise _too_deep(cap) from None


def _too_deep(cap: int) -> PolicyError:
    return PolicyError(
        400,
        MAX_DEPTH_LIMIT,
        f"The document nests more than {cap} levels deep; flatten the operation.",
    )

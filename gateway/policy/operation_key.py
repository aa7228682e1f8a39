"""The rate-limit bucket of an operation: its document's tokens, without what does not matter.

Two documents that differ only in what GraphQL ignores (whitespace, commas, comments), in their
operation names, or in writing `query` before a shorthand `{ ... }` get the same key, so a client
cannot earn a fresh bucket per request by renaming or reformatting one operation. The request's
`operationName` selects an operation by its position in the document, so it cannot earn one
either. Anything else (another field, alias or argument) is another operation; the per-client
bucket bounds those.

The tokens are the parser's (https://spec.graphql.org/October2021/#sec-Language.Source-Text),
kept on the parsed document, so the key costs one pass over them and no second lexer.
"""

from __future__ import annotations

import hashlib

from graphql import DocumentNode, OperationDefinitionNode, Token, TokenKind

_QUERY_KEYWORD = f"\x00{TokenKind.NAME.name}\x01query".encode()


def operation_key(document: DocumentNode, operation_name: str | None) -> str:
    """A short hash naming the operation `operation_name` selects in `document` (parsed with
    locations), whatever its operation names and ignored characters."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    names = [op.name.value if op.name else None for op in operations]
    chosen = names.index(operation_name) if operation_name in names else 0
    left_out = {id(op.name.loc.start_token) for op in operations if op.name and op.name.loc}
    shorthand = {
        id(op.loc.start_token)
        for op in operations
        if op.loc and op.loc.start_token.kind is TokenKind.BRACE_L
    }
    digest = hashlib.sha256(f"{chosen}".encode())
    token: Token | None = document.loc.start_token if document.loc else None
    while token is not None:
        if token.kind is not TokenKind.COMMENT and id(token) not in left_out:
            if id(token) in shorthand:
                digest.update(_QUERY_KEYWORD)  # `{ ... }` is `query { ... }`
            text = token.value if token.value is not None else token.kind.value
            # The kind keeps `"a"` (a string) apart from `a` (a name).
            digest.update(f"\x00{token.kind.name}\x01{text}".encode("utf-8", "surrogatepass"))
        token = token.next
    return digest.hexdigest()[:32]

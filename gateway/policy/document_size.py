"""Document size: a GraphQL document over the limit is refused before it is parsed."""

from __future__ import annotations

from gateway.policy.errors import DOCUMENT_TOO_LARGE, PolicyError


def check_document_size(query: str, max_bytes: int) -> None:
    """`PolicyError` (400) when `query` is longer than `max_bytes` in UTF-8."""
    # A character is at most 4 bytes: most documents are cleared without encoding them.
    if len(query) * 4 <= max_bytes:
        return
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise PolicyError(
            400,
            DOCUMENT_TOO_LARGE,
            f"The GraphQL document is {size} bytes, more than the {max_bytes} allowed;"
            " split the operation or use smaller fragments.",
        )

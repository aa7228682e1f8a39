"""The document size limit, in UTF-8 bytes."""

from __future__ import annotations

import pytest

from gateway.policy.document_size import check_document_size
from gateway.policy.errors import PolicyError


def test_a_document_within_the_limit_passes() -> None:
    check_document_size("{ users { id } }", 16)


@pytest.mark.parametrize("query", ["{ users { id } } ", "{ é }" * 4])
def test_a_document_over_the_limit_is_refused(query: str) -> None:
    with pytest.raises(PolicyError) as refused:
        check_document_size(query, 16)
    assert (refused.value.status, refused.value.code) == (400, "DOCUMENT_TOO_LARGE")

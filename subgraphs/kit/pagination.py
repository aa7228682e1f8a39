"""Page arguments (`page`, `pageSize`) and the shareable `PageInfo` every list answer carries."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry

from common.errors import FieldProblem, ValidationFailed

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

T = TypeVar("T")


@dataclass(frozen=True)
class PageRequest:
    """A validated page: 1-based `page`, `size` rows per page."""

    page: int
    size: int

    @property
    def offset(self) -> int:
        """Rows to skip before this page."""
        return (self.page - 1) * self.size


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows and the total count of rows matching the filters."""

    items: Sequence[T]
    request: PageRequest
    total: int

    @property
    def total_pages(self) -> int:
        """Pages needed for `total` rows (0 when there are none)."""
        return math.ceil(self.total / self.request.size)


def page_request(page: int = 1, page_size: int = DEFAULT_PAGE_SIZE) -> PageRequest:
    """Validate page arguments; every bad one is named in one VALIDATION_FAILED error."""
    problems = []
    if page < 1:
        problems.append(FieldProblem("page", "must be 1 or more"))
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        problems.append(FieldProblem("pageSize", f"must be between 1 and {MAX_PAGE_SIZE}"))
    if problems:
        raise ValidationFailed.of(problems)
    return PageRequest(page=page, size=page_size)


@strawberry.federation.type(shareable=True, description="Where a page sits in a list.")
class PageInfo:
    """Position of a page in a list; identical in every subgraph, hence `@shareable`."""

    page: int
    page_size: int
    total_pages: int
    total_count: int

    @classmethod
    def of(cls, page: Page[Any]) -> PageInfo:
        """The PageInfo of a page of rows."""
        return cls(
            page=page.request.page,
            page_size=page.request.size,
            total_pages=page.total_pages,
            total_count=page.total,
        )

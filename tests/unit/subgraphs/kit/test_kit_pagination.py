"""Page arguments and PageInfo maths."""

from __future__ import annotations

import pytest

from common.errors import ValidationFailed
from subgraphs.kit.pagination import Page, PageInfo, PageRequest, page_request


def test_defaults_are_page_1_of_20() -> None:
    assert page_request() == PageRequest(page=1, size=20)


@pytest.mark.parametrize(("page", "size", "offset"), [(1, 20, 0), (2, 20, 20), (5, 100, 400)])
def test_offset(page, size, offset) -> None:
    assert page_request(page, size).offset == offset


@pytest.mark.parametrize(
    ("page", "size", "fields"),
    [(0, 20, ["page"]), (-3, 20, ["page"]), (1, 0, ["pageSize"]), (1, 101, ["pageSize"])],
)
def test_each_bad_argument_is_named(page, size, fields) -> None:
    with pytest.raises(ValidationFailed) as caught:
        page_request(page, size)

    assert caught.value.code == "VALIDATION_FAILED"
    assert [problem.field for problem in caught.value.problems] == fields


def test_both_bad_arguments_make_one_error() -> None:
    with pytest.raises(ValidationFailed) as caught:
        page_request(0, 1000)

    assert caught.value.extensions()["field"] == "page"
    assert [p["field"] for p in caught.value.extensions()["problems"]] == ["page", "pageSize"]


def test_boundaries_are_accepted() -> None:
    assert page_request(1, 1).size == 1
    assert page_request(10**6, 100).size == 100


@pytest.mark.parametrize(
    ("total", "size", "pages"), [(0, 20, 0), (1, 20, 1), (20, 20, 1), (21, 20, 2), (100, 7, 15)]
)
def test_total_pages(total, size, pages) -> None:
    page = Page(items=[], request=PageRequest(1, size), total=total)

    assert page.total_pages == pages
    assert PageInfo.of(page) == PageInfo(
        page=1, page_size=size, total_pages=pages, total_count=total
    )

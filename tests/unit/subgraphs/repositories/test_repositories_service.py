"""Repository rules: validation, names unique per owner among live ones, updates, soft delete."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from common.errors import Conflict, NotFound, ValidationFailed
from subgraphs.kit.clock import as_utc
from subgraphs.repositories.models import RepositoryRow, Visibility
from subgraphs.repositories.validation import clean_url

V = Visibility


async def test_create_trims_and_defaults_to_private_and_active(service, clock) -> None:
    row = await service.create(name="  tex ", owner_id="6", description="  ", url=None)

    assert (row.id, row.name, row.owner_id, row.description, row.url) == (1, "tex", 6, None, None)
    assert (row.visibility, row.active) == (V.PRIVATE, True)
    assert row.created_at == row.updated_at == clock.now


async def test_create_validation_names_every_bad_field(service) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await service.create(
            name="has space",
            owner_id="me",
            description="x" * 1001,
            visibility=None,
            url="ftp://example.com/x",
            active=None,
        )

    assert [p.field for p in caught.value.problems] == [
        "name",
        "description",
        "ownerId",
        "visibility",
        "url",
        "active",
    ]


@pytest.mark.parametrize("name", ["a", "A-b_c.d", "x" * 100, "0.1.2", ".github"])
async def test_names_allowed(service, name) -> None:
    assert (await service.create(name=name, owner_id="1")).name == name


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "a/b", "ünï", "a b", ".", "..", "a\nb"])
async def test_names_refused(service, name) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await service.create(name=name, owner_id="1")

    assert caught.value.field == "name"


@pytest.mark.parametrize(
    "url",
    [
        "https://git.example.com/ada/tex",
        "http://localhost:8080/repo.git",
        "HTTPS://EXAMPLE.COM",
        "https://example.com/" + "x" * (2048 - 20),
    ],
)
def test_urls_allowed(url) -> None:
    assert clean_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "git@github.com:a/b.git",
        "https://",
        "https:///path",
        "example.com/repo",
        "https://exa mple.com",
        "https://example.com:99999/",
        "javascript:alert(1)",
        "https://example.com/" + "x" * 2048,
    ],
)
def test_urls_refused(url) -> None:
    assert clean_url(url).field == "url"


async def test_names_are_unique_per_owner_among_live_repositories(service) -> None:
    first_id = (await service.create(name="tex", owner_id="1")).id
    await service.create(name="tex", owner_id="2")  # another owner: fine
    await service.create(name="TeX", owner_id="1")  # names are case-sensitive

    with pytest.raises(Conflict) as caught:
        await service.create(name="tex", owner_id="1")
    assert caught.value.field == "name"
    assert "tex" not in caught.value.message

    await service.delete(first_id)
    assert (await service.create(name="tex", owner_id="1")).id == 4


async def test_update_changes_only_given_fields(service, clock) -> None:
    row = await service.create(
        name="tex", owner_id="1", description="typesetting", url="https://e.com/tex"
    )
    later = clock.advance(hours=1)

    updated = await service.update(str(row.id), visibility=V.PUBLIC, url=None)

    assert (updated.name, updated.description, updated.url) == ("tex", "typesetting", None)
    assert updated.visibility is V.PUBLIC
    assert as_utc(updated.updated_at) == later


async def test_update_errors(service) -> None:
    await service.create(name="tex", owner_id="1")
    other = await service.create(name="metafont", owner_id="1")
    other_id = other.id

    with pytest.raises(Conflict) as caught:
        await service.update(other_id, name="tex")
    assert caught.value.field == "name"
    with pytest.raises(ValidationFailed) as invalid:
        await service.update(other_id, name=None, active=None, visibility=None)
    assert [p.field for p in invalid.value.problems] == ["name", "visibility", "active"]
    with pytest.raises(NotFound):
        await service.update("99", name="x")
    assert (await service.update(other_id, name="metafont")).name == "metafont"


async def test_delete_is_soft_and_final(service, session, clock) -> None:
    row_id = (await service.create(name="tex", owner_id="1")).id
    when = clock.advance(hours=2)

    assert await service.delete(str(row_id)) is True

    stored = await session.scalar(select(RepositoryRow).where(RepositoryRow.id == row_id))
    assert as_utc(stored.deleted_at) == when
    assert await service.get_many([row_id]) == [None]
    assert await service.by_owners([1]) == [[]]
    assert (await service.list_page()).total == 0
    with pytest.raises(NotFound):
        await service.delete(row_id)
    with pytest.raises(NotFound):
        await service.update(row_id, name="again")


@pytest.mark.parametrize("repository_id", ["999", "abc", "", "0", None])
async def test_unknown_ids_are_not_found(service, repository_id) -> None:
    with pytest.raises(NotFound):
        await service.delete(repository_id)
    with pytest.raises(NotFound):
        await service.update(repository_id, name="x")


async def test_list_page_treats_a_malformed_owner_id_as_matching_nothing(service) -> None:
    await service.create(name="tex", owner_id="1")

    result = await service.list_page(owner_id="abc")

    assert (list(result.items), result.total) == ([], 0)

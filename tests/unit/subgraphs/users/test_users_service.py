"""User rules: validation, unique live emails, partial updates, soft delete."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from common.errors import Conflict, NotFound, ValidationFailed
from common.events import Event
from subgraphs.kit.clock import as_utc
from subgraphs.users import repository
from subgraphs.users.models import UserRow, outbox
from subgraphs.users.service import UserService


async def create(service: UserService, **fields: Any) -> UserRow:
    values = {"email": "ada.lovelace@example.com", "name": "Ada Lovelace"} | fields
    return await service.create(**values)


def problem_fields(error: ValidationFailed) -> list[str]:
    return [problem.field for problem in error.problems]


async def test_create_normalises_email_and_name_and_defaults_active(service, clock) -> None:
    user = await create(service, email="  Ada.Lovelace@Example.COM ", name="  Ada  ", age=36)

    assert user.id == 1
    assert (user.email, user.name, user.age, user.active) == (
        "ada.lovelace@example.com",
        "Ada",
        36,
        True,
    )
    assert user.created_at == user.updated_at == clock.now
    assert user.deleted_at is None


async def test_create_keeps_age_optional_and_active_false(service) -> None:
    user = await create(service, age=None, active=False)

    assert user.age is None
    assert user.active is False


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": "a@b"}, "email"),
        ({"email": "two@@example.com"}, "email"),
        ({"email": "sp ace@example.com"}, "email"),
        ({"email": ""}, "email"),
        ({"email": "a" * 243 + "@example.com"}, "email"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"age": -1}, "age"),
        ({"age": 151}, "age"),
    ],
)
async def test_create_refuses_each_bad_field(service, fields, field) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await create(service, **fields)

    assert caught.value.code == "VALIDATION_FAILED"
    assert caught.value.field == field
    assert problem_fields(caught.value) == [field]


async def test_create_accepts_boundaries(service) -> None:
    young = await create(service, email="a@example.io", name="x", age=0)
    old = await create(service, email="b" * 242 + "@example.com", name="y" * 100, age=150)

    assert (young.age, old.age, len(old.email)) == (0, 150, 254)


async def test_create_collects_every_bad_field_into_one_error(service) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await create(service, email="nope", name=" ", age=200)

    assert problem_fields(caught.value) == ["email", "name", "age"]
    assert caught.value.field == "email"
    assert "email:" in caught.value.message and "age:" in caught.value.message


async def test_create_refuses_an_email_a_live_user_has_whatever_its_case(service) -> None:
    await create(service)

    with pytest.raises(Conflict) as caught:
        await create(service, email="ADA.LOVELACE@example.com", name="Another Ada")

    assert caught.value.code == "CONFLICT"
    assert caught.value.field == "email"
    assert "ada.lovelace" not in caught.value.message.lower()  # the value is never repeated


async def test_create_stores_user_created_in_the_same_transaction(service, session) -> None:
    user = await create(service)
    user_id, email, name = str(user.id), user.email, user.name
    with pytest.raises(Conflict):
        await create(service)  # rolled back: no second event

    bodies = (await session.scalars(select(outbox.c.body))).all()
    (event,) = [Event.from_json(body) for body in bodies]
    assert (event.type, event.source, event.entity_type, event.entity_id) == (
        "user.created",
        "users",
        "User",
        user_id,
    )
    assert event.payload == {"user_id": user_id, "email": email, "name": name}


async def test_create_accepts_the_email_of_a_deleted_user(service) -> None:
    first = await create(service)
    await service.delete(first.id)

    second = await create(service)

    assert second.id != first.id


async def test_create_maps_a_lost_race_on_the_unique_index_to_conflict(
    service, monkeypatch
) -> None:
    await create(service)

    # Another request inserted the same email between our check and our insert.
    async def nobody(*_args: Any) -> None:
        return None

    monkeypatch.setattr(repository, "find_by_email", nobody)

    with pytest.raises(Conflict) as caught:
        await create(service)

    assert caught.value.field == "email"
    assert (await service.list_page()).total == 1


async def test_update_changes_only_the_given_fields(service, clock) -> None:
    user = await create(service, age=36)
    created = user.created_at
    later = clock.advance(minutes=5)

    updated = await service.update(str(user.id), name=" Countess Ada ")

    assert updated.name == "Countess Ada"
    assert (updated.email, updated.age, updated.active) == ("ada.lovelace@example.com", 36, True)
    assert updated.created_at == created
    assert updated.updated_at == later


async def test_update_can_clear_age_and_deactivate(service) -> None:
    user = await create(service, age=36)

    updated = await service.update(user.id, age=None, active=False)

    assert (updated.age, updated.active) == (None, False)


async def test_update_normalises_email_and_allows_the_users_own(service) -> None:
    user = await create(service)

    same = await service.update(user.id, email="ADA.LOVELACE@EXAMPLE.COM")
    assert same.email == "ada.lovelace@example.com"

    other = await service.update(user.id, email=" ada@example.org ")
    assert other.email == "ada@example.org"


async def test_update_refuses_an_email_another_live_user_has(service) -> None:
    await create(service)
    grace = await create(service, email="grace.hopper@example.com", name="Grace Hopper")

    with pytest.raises(Conflict) as caught:
        await service.update(grace.id, email="Ada.Lovelace@example.com")

    assert caught.value.field == "email"


async def test_update_maps_a_lost_race_on_the_unique_index_to_conflict(
    service, monkeypatch
) -> None:
    await create(service)
    grace = await create(service, email="grace.hopper@example.com", name="Grace Hopper")
    grace_id = grace.id  # the failed transaction's rollback expires loaded rows

    async def nobody(*_args: Any) -> None:
        return None

    monkeypatch.setattr(repository, "find_by_email", nobody)

    with pytest.raises(Conflict):
        await service.update(grace_id, email="ada.lovelace@example.com")
    assert (await service.get(grace_id)).email == "grace.hopper@example.com"


@pytest.mark.parametrize(
    ("fields", "bad"),
    [
        ({"email": None}, ["email"]),
        ({"name": None}, ["name"]),
        ({"active": None}, ["active"]),
        ({"age": 151, "name": "", "email": "x"}, ["email", "name", "age"]),
    ],
)
async def test_update_refuses_bad_or_null_fields(service, fields, bad) -> None:
    user = await create(service)

    with pytest.raises(ValidationFailed) as caught:
        await service.update(user.id, **fields)

    assert sorted(problem_fields(caught.value)) == sorted(bad)


@pytest.mark.parametrize("user_id", ["999", "abc", "", "-1", "0", "1.5", None])
async def test_update_and_delete_of_an_unknown_id_are_not_found(service, user_id) -> None:
    await create(service)

    with pytest.raises(NotFound) as updating:
        await service.update(user_id, name="Nobody")
    with pytest.raises(NotFound) as deleting:
        await service.delete(user_id)

    assert updating.value.code == deleting.value.code == "NOT_FOUND"


async def test_delete_is_soft_and_hides_the_user_everywhere(service, session, clock) -> None:
    user = await create(service)
    when = clock.advance(hours=1)

    assert await service.delete(user.id) is True

    stored = await session.scalar(select(UserRow).where(UserRow.id == user.id))
    assert stored is not None and as_utc(stored.deleted_at) == when
    assert await service.get(user.id) is None
    assert await service.get_many([user.id]) == [None]
    assert (await service.list_page()).total == 0


async def test_a_deleted_user_cannot_be_updated_or_deleted_again(service) -> None:
    user_id = (await create(service)).id
    await service.delete(user_id)

    with pytest.raises(NotFound):
        await service.update(user_id, name="Ghost")
    with pytest.raises(NotFound):
        await service.delete(user_id)


async def test_get_returns_none_for_unknown_or_malformed_ids(service) -> None:
    user = await create(service)

    assert (await service.get(str(user.id))).id == user.id
    assert await service.get("999") is None
    assert await service.get("abc") is None


async def test_get_many_answers_in_key_order_with_none_for_missing(service) -> None:
    ada = await create(service)
    grace = await create(service, email="grace.hopper@example.com", name="Grace Hopper")

    found = await service.get_many([grace.id, 42, ada.id, grace.id])

    assert [row.id if row else None for row in found] == [grace.id, None, ada.id, grace.id]


async def test_list_page_validates_page_arguments(service) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await service.list_page(page=0, page_size=101)

    assert problem_fields(caught.value) == ["page", "pageSize"]


async def test_create_takes_username_role_and_password(service, policy) -> None:
    user = await create(service, username=" Countess ", role="admin", password="a long password")

    assert (user.username, user.role) == ("countess", "admin")
    assert await policy.passwords.verify(user.password_hash, "a long password")


async def test_create_without_password_or_role_makes_a_user_who_cannot_log_in(service) -> None:
    user = await create(service)

    assert (user.username, user.role, user.password_hash) == ("ada.lovelace", "user", None)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"role": "root"}, "role"),
        ({"username": "x"}, "username"),
        ({"password": "short"}, "password"),
        ({"password": "Ada.Lovelace@example.com"}, "password"),
        ({"username": "countess", "password": "COUNTESS"}, "password"),
    ],
)
async def test_create_refuses_bad_account_fields(service, fields, field) -> None:
    with pytest.raises(ValidationFailed) as caught:
        await create(service, **fields)

    assert problem_fields(caught.value) == [field]


async def test_create_event_names_the_actor(service, session) -> None:
    await create(service, actor="test-admin")

    (body,) = (await session.scalars(select(outbox.c.body))).all()
    assert Event.from_json(body).actor == "test-admin"


async def test_update_changes_username_role_and_password(service, policy) -> None:
    user = await create(service)

    updated = await service.update(user.id, username="ADA", role="admin", password="a new password")

    assert (updated.username, updated.role) == ("ada", "admin")
    assert await policy.passwords.verify(updated.password_hash, "a new password")


async def test_update_refuses_a_taken_username_and_a_password_equal_to_it(service) -> None:
    await create(service)
    grace = await create(service, email="grace.hopper@example.com", name="Grace Hopper")
    grace_id = grace.id  # a failed transaction's rollback expires loaded rows

    with pytest.raises(Conflict) as taken:
        await service.update(grace_id, username="Ada.Lovelace")
    with pytest.raises(ValidationFailed) as same:
        await service.update(grace_id, password="GRACE.HOPPER")
    with pytest.raises(ValidationFailed) as nulls:
        await service.update(grace_id, role=None, username=None, password=None)

    assert taken.value.field == "username"
    assert "username" in same.value.message
    assert sorted(problem_fields(nulls.value)) == ["password", "role", "username"]

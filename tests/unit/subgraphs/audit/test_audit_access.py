"""The audit log is for admins and services: by id, in lists, as a user's trail, as an entity."""

from __future__ import annotations

import pytest

from common.events import Event
from subgraphs.kit.identity import Identity

ADMIN = Identity("admin", roles=frozenset({"admin"}))
SERVICE = Identity("order-service", roles=frozenset({"service"}))
USER = Identity("user:7", user_id=7, roles=frozenset({"user"}))

ONE = "{ auditLog(id: 1) { id action } }"
LIST = "{ auditLogs { items { id } pageInfo { totalCount } } }"
BY_ACTOR = "query($a: ID) { auditLogs(actorId: $a) { items { id actorSubject actor { id } } } }"
TRAIL = """
{ _entities(representations: [{__typename: "User", id: "7"}]) {
  ... on User { auditTrail { items { id } } } } }
"""
ENTITY = """
{ _entities(representations: [{__typename: "AuditLog", id: "1"}]) { ... on AuditLog { id } } }
"""


def error_of(result) -> dict:
    assert result.errors is not None and len(result.errors) == 1, result.errors
    return result.errors[0].formatted


@pytest.fixture
async def recorded(record) -> None:
    """Two rows: user 7 placed an order; the admin client adjusted a stock."""
    await record(
        Event(
            "order.created",
            "Order",
            "1",
            {"order_id": "1", "user_id": "7"},
            source="orders",
            actor="user:7",
        ),
        Event(
            "product.stock_adjusted",
            "Product",
            "3",
            {"product_id": "3", "delta": 2},
            source="products",
            actor="admin",
        ),
    )


@pytest.mark.parametrize("operation", [ONE, LIST, TRAIL], ids=["one", "list", "trail"])
async def test_reading_needs_the_admin_or_service_role(execute, recorded, operation) -> None:
    anonymous = error_of(await execute(operation, identity=None))
    as_user = error_of(await execute(operation, identity=USER))

    assert anonymous["extensions"] == {"code": "UNAUTHENTICATED"}
    assert "needs a token with the role admin or service" in anonymous["message"]
    assert as_user["extensions"] == {"code": "FORBIDDEN"}
    assert "needs the role admin or service" in as_user["message"]
    for identity in (ADMIN, SERVICE):
        assert (await execute(operation, identity=identity)).errors is None


async def test_an_entity_is_null_for_anyone_else(execute, recorded) -> None:
    seen = {
        name: (await execute(ENTITY, identity=identity)).data["_entities"]
        for name, identity in {
            "anonymous": None,
            "user": USER,
            "admin": ADMIN,
            "service": SERVICE,
        }.items()
    }

    assert seen == {
        "anonymous": [None],
        "user": [None],
        "admin": [{"id": "1"}],
        "service": [{"id": "1"}],
    }


async def test_the_actor_is_the_callers_subject_and_actor_id_filters_user_actors(
    execute, recorded
) -> None:
    everyone = await execute(BY_ACTOR, {}, identity=SERVICE)
    by_user_7 = await execute(BY_ACTOR, {"a": "7"}, identity=SERVICE)

    assert everyone.data["auditLogs"]["items"] == [
        {"id": "2", "actorSubject": "admin", "actor": None},
        {"id": "1", "actorSubject": "user:7", "actor": {"id": "7"}},
    ]
    assert by_user_7.data["auditLogs"]["items"] == [
        {"id": "1", "actorSubject": "user:7", "actor": {"id": "7"}}
    ]

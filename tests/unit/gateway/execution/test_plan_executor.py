"""Executing plans over the in-memory SubgraphClient: batching, de-duplication, errors, null
propagation, shaping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import parse

from gateway.execution import PlanExecutor
from gateway.planning import plan_operation
from gateway.supergraph import Supergraph
from gateway.transport import (
    MockSubgraphClient,
    SubgraphRequest,
    SubgraphResponse,
    SubgraphUnavailable,
)

USERS = {
    "u1": {"name": "Ada", "email": "ada@x", "nickname": None},
    "u2": {"name": "Bob", "email": "bob@x", "nickname": "b"},
}
ORDERS = [
    {
        "id": "o1",
        "status": "PENDING",
        "totalPrice": 1.5,
        "user": {"__typename": "User", "id": "u1"},
    },
    {
        "id": "o2",
        "status": "CONFIRMED",
        "totalPrice": 2.5,
        "user": {"__typename": "User", "id": "u2"},
    },
    {
        "id": "o3",
        "status": "PENDING",
        "totalPrice": 3.5,
        "user": {"__typename": "User", "id": "u1"},
    },
]

Handler = Callable[[SubgraphRequest], SubgraphResponse]


def entities(request: SubgraphRequest, pick: Callable[[dict[str, Any]], Any]) -> SubgraphResponse:
    return SubgraphResponse({"_entities": [pick(r) for r in request.variables["representations"]]})


async def run(
    supergraph: Supergraph,
    handlers: dict[str, Handler],
    query: str,
    variables: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], MockSubgraphClient]:
    client = MockSubgraphClient(lambda request: handlers[request.subgraph](request))
    plan = plan_operation(supergraph, parse(query))
    response = await PlanExecutor(supergraph, client).execute(plan, variables)
    return response, client


def orders_handler(request: SubgraphRequest) -> SubgraphResponse:
    return SubgraphResponse({"orders": {"items": ORDERS}})


def users_handler(request: SubgraphRequest) -> SubgraphResponse:
    return entities(request, lambda r: USERS[r["id"]])


async def test_entity_fetch_sends_each_distinct_representation_once(
    users_orders: Supergraph,
) -> None:
    query = "{ orders { items { id user { name } } } }"
    response, client = await run(
        users_orders, {"orders": orders_handler, "users": users_handler}, query
    )
    assert [r.subgraph for r in client.requests] == ["orders", "users"]
    assert client.requests[1].variables == {
        "representations": [{"__typename": "User", "id": "u1"}, {"__typename": "User", "id": "u2"}]
    }
    assert response == {
        "data": {
            "orders": {
                "items": [
                    {"id": "o1", "user": {"name": "Ada"}},
                    {"id": "o2", "user": {"name": "Bob"}},
                    {"id": "o3", "user": {"name": "Ada"}},
                ]
            }
        }
    }


def aliased_orders(request: SubgraphRequest) -> SubgraphResponse:
    # The subgraph answers under the aliases of the operation it was sent.
    assert "buyer:user" in request.query
    items = [{"ref": o["id"], "buyer": o["user"]} for o in ORDERS[:2]]
    return SubgraphResponse({"orders": {"items": items}})


async def test_response_has_the_asked_fields_in_order_under_aliases(
    users_orders: Supergraph,
) -> None:
    query = "{ orders { items { buyer: user { mail: email __typename } ref: id } } }"

    def users(request: SubgraphRequest) -> SubgraphResponse:
        assert "mail:email" in request.query
        return entities(request, lambda r: {"mail": USERS[r["id"]]["email"], "__typename": "User"})

    response, _ = await run(users_orders, {"orders": aliased_orders, "users": users}, query)
    assert response["data"]["orders"]["items"][0] == {
        "buyer": {"mail": "ada@x", "__typename": "User"},
        "ref": "o1",
    }
    assert list(response["data"]["orders"]["items"][1]["buyer"]) == ["mail", "__typename"]


async def test_entity_errors_are_mapped_to_every_client_path(users_orders: Supergraph) -> None:
    def failing_users(request: SubgraphRequest) -> SubgraphResponse:
        data = entities(request, lambda r: {**USERS[r["id"]], "nickname": None}).data
        error = {
            "message": "nickname hidden",
            "path": ["_entities", 0, "nickname"],
            "locations": [{"line": 1, "column": 2}],
            "extensions": {"code": "FORBIDDEN"},
        }
        return SubgraphResponse(data, (error,))

    query = "{ orders { items { user { nickname } } } }"
    response, _ = await run(users_orders, {"orders": orders_handler, "users": failing_users}, query)
    assert response["errors"] == [
        {
            "message": "nickname hidden",
            "path": ["orders", "items", 0, "user", "nickname"],
            "extensions": {"code": "FORBIDDEN", "serviceName": "users"},
        },
        {
            "message": "nickname hidden",
            "path": ["orders", "items", 2, "user", "nickname"],
            "extensions": {"code": "FORBIDDEN", "serviceName": "users"},
        },
    ]


def unavailable(name: str) -> Handler:
    def handler(request: SubgraphRequest) -> SubgraphResponse:
        raise SubgraphUnavailable(name, "request timed out")

    return handler


async def test_a_failed_subgraph_nulls_only_its_part_and_adds_one_error(
    users_orders: Supergraph,
) -> None:
    def one_order(request: SubgraphRequest) -> SubgraphResponse:
        return SubgraphResponse({"order": ORDERS[0]})

    query = '{ order(id: "o1") { id status } user(id: "u1") { name } }'
    response, _ = await run(
        users_orders, {"orders": one_order, "users": unavailable("users")}, query
    )
    assert response == {
        "data": {"order": {"id": "o1", "status": "PENDING"}, "user": None},
        "errors": [
            {
                "message": 'Subgraph "users" is unavailable: request timed out',
                "extensions": {"code": "SUBGRAPH_UNAVAILABLE", "serviceName": "users"},
            }
        ],
    }


async def test_a_failed_entity_fetch_nulls_nullable_fields_it_should_fill(
    users_orders: Supergraph,
) -> None:
    query = "{ orders { items { id user { id nickname } } } }"
    response, _ = await run(
        users_orders, {"orders": orders_handler, "users": unavailable("users")}, query
    )
    assert response["data"]["orders"]["items"][0] == {
        "id": "o1",
        "user": {"id": "u1", "nickname": None},
    }
    assert len(response["errors"]) == 1


async def test_missing_non_null_fields_propagate_null_up_to_data(users_orders: Supergraph) -> None:
    query = "{ orders { items { id user { name } } } }"
    response, _ = await run(
        users_orders, {"orders": orders_handler, "users": unavailable("users")}, query
    )
    assert response["data"] is None
    assert [e["extensions"]["code"] for e in response["errors"]] == ["SUBGRAPH_UNAVAILABLE"]


async def test_a_null_in_a_non_null_field_nulls_the_nearest_nullable_parent(
    users_orders: Supergraph,
) -> None:
    def one_order(request: SubgraphRequest) -> SubgraphResponse:
        return SubgraphResponse({"order": {**ORDERS[0], "status": None}})

    query = '{ order(id: "o1") { id status } }'
    response, _ = await run(users_orders, {"orders": one_order}, query)
    assert response == {
        "data": {"order": None},
        "errors": [
            {
                "message": "Cannot return null for non-nullable field Order.status.",
                "path": ["order", "status"],
            }
        ],
    }


async def test_mutations_are_sent_in_document_order(users_orders: Supergraph) -> None:
    def orders(request: SubgraphRequest) -> SubgraphResponse:
        return SubgraphResponse({"first": {"id": "o9"}, "third": {"id": "o9"}})

    def users(request: SubgraphRequest) -> SubgraphResponse:
        return SubgraphResponse({"second": {"id": "u1"}})

    query = """mutation {
      first: confirmOrder(id: "o9") { id }
      second: renameUser(id: "u1", name: "Ada") { id }
      third: confirmOrder(id: "o9") { id }
    }"""
    response, client = await run(users_orders, {"orders": orders, "users": users}, query)
    assert [(r.subgraph, r.is_mutation) for r in client.requests] == [
        ("orders", True),
        ("users", True),
        ("orders", True),
    ]
    assert response["data"] == {
        "first": {"id": "o9"},
        "second": {"id": "u1"},
        "third": {"id": "o9"},
    }


async def test_root_typename_and_introspection_need_no_subgraph(users_orders: Supergraph) -> None:
    query = '{ __typename t: __typename __type(name: "User") { name fields { name } } }'
    response, client = await run(users_orders, {}, query)
    assert client.requests == []
    assert response["data"]["__typename"] == "Query"
    assert response["data"]["t"] == "Query"
    assert response["data"]["__type"]["name"] == "User"
    assert [f["name"] for f in response["data"]["__type"]["fields"]] == [
        "id",
        "name",
        "email",
        "nickname",
        "orders",
    ]


async def test_variable_conditions_are_applied_when_shaping(users_orders: Supergraph) -> None:
    query = """query($withEmail: Boolean = false, $nick: Boolean!) {
      orders {
        items {
          id @skip(if: $nick)
          user { email @include(if: $withEmail) nickname @include(if: $nick) }
        }
      }
    }"""
    response, client = await run(
        users_orders,
        {"orders": orders_handler, "users": users_handler},
        query,
        {"nick": True},
    )
    assert client.requests[1].variables["nick"] is True
    assert "withEmail" not in client.requests[1].variables
    assert response["data"]["orders"]["items"][1] == {"user": {"nickname": "b"}}


async def test_a_key_fetched_under_another_alias_does_not_leak(users_orders: Supergraph) -> None:
    def orders(request: SubgraphRequest) -> SubgraphResponse:
        assert "_id1:id" in request.query
        user = {"__typename": "User", "id": [{"status": "PENDING"}], "_id1": "u2"}
        return SubgraphResponse({"order": {"user": user}})

    query = '{ order(id: "o1") { user { id: orders { status } name } } }'
    response, client = await run(users_orders, {"orders": orders, "users": users_handler}, query)
    assert client.requests[1].variables["representations"] == [{"__typename": "User", "id": "u2"}]
    assert response == {"data": {"order": {"user": {"id": [{"status": "PENDING"}], "name": "Bob"}}}}


async def test_representations_follow_type_conditions_and_same_fetches_share_a_call(
    media: Supergraph,
) -> None:
    def media_handler(request: SubgraphRequest) -> SubgraphResponse:
        return SubgraphResponse(
            {
                "search": [
                    {"__typename": "Book", "id": "b1", "title": "Dune"},
                    {"__typename": "Movie", "title": "Alien", "minutes": 117},
                    {"__typename": "Book", "id": "b2", "title": "Emma"},
                ],
                "featured": {"__typename": "Book", "id": "b1", "title": "Dune"},
            }
        )

    def ratings(request: SubgraphRequest) -> SubgraphResponse:
        return entities(request, lambda r: {"rating": {"b1": 4.5, "b2": 3.0}[r["id"]]})

    query = """{
      search(text: "x") { ... on Book { title rating } ... on Movie { title minutes } }
      featured { title ... on Book { rating } }
    }"""
    response, client = await run(media, {"media": media_handler, "ratings": ratings}, query)
    assert [r.subgraph for r in client.requests] == ["media", "ratings"]
    assert client.requests[1].variables["representations"] == [
        {"__typename": "Book", "id": "b1"},
        {"__typename": "Book", "id": "b2"},
    ]
    assert response == {
        "data": {
            "search": [
                {"title": "Dune", "rating": 4.5},
                {"title": "Alien", "minutes": 117},
                {"title": "Emma", "rating": 3.0},
            ],
            "featured": {"title": "Dune", "rating": 4.5},
        }
    }


async def test_a_hop_and_a_compound_key_end_to_end(inventory: Supergraph) -> None:
    def catalog(request: SubgraphRequest) -> SubgraphResponse:
        product = {"__typename": "Product", "name": "Chair", "upc": "1", "region": {"code": "EU"}}
        return SubgraphResponse({"products": [product]})

    def skus(request: SubgraphRequest) -> SubgraphResponse:
        return entities(request, lambda r: {"__typename": "Product", "sku": "S-" + r["upc"]})

    def stock(request: SubgraphRequest) -> SubgraphResponse:
        return entities(request, lambda r: {"inStock": r["sku"] == "S-1"})

    def reviews(request: SubgraphRequest) -> SubgraphResponse:
        return entities(
            request, lambda r: {"reviews": [{"body": f"{r['upc']}@{r['region']['code']}"}]}
        )

    handlers = {"catalog": catalog, "skus": skus, "inventory": stock, "reviews": reviews}
    response, client = await run(
        inventory, handlers, "{ products { name inStock reviews { body } } }"
    )
    assert response == {
        "data": {"products": [{"name": "Chair", "inStock": True, "reviews": [{"body": "1@EU"}]}]}
    }
    reps = {r.subgraph: r.variables.get("representations") for r in client.requests}
    assert reps["reviews"] == [{"__typename": "Product", "upc": "1", "region": {"code": "EU"}}]
    assert reps["inventory"] == [{"__typename": "Product", "sku": "S-1"}]


async def test_a_subgraph_error_without_a_code_gets_downstream_service_error(
    users_orders: Supergraph,
) -> None:
    def failing_users(request: SubgraphRequest) -> SubgraphResponse:
        data = entities(request, lambda r: {**USERS[r["id"]], "nickname": None}).data
        return SubgraphResponse(data, ({"message": "boom", "path": ["_entities", 1, "nickname"]},))

    query = "{ orders { items { user { nickname } } } }"
    response, _ = await run(users_orders, {"orders": orders_handler, "users": failing_users}, query)
    assert response["errors"][0]["extensions"] == {
        "code": "DOWNSTREAM_SERVICE_ERROR",
        "serviceName": "users",
    }

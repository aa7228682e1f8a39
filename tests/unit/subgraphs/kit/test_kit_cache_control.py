"""Cache hints -> `Cache-Control`: computed over the products and orders schemas, and sent by a
subgraph's app (users, driven through ASGI)."""

from __future__ import annotations

import httpx
import pytest
from graphql import parse

from subgraphs.kit.app import create_service_app
from subgraphs.kit.cache_control import CacheHint, cache_control_for
from subgraphs.orders.schema import CACHE_HINTS as ORDER_HINTS
from subgraphs.orders.schema import schema as orders_schema
from subgraphs.products.schema import CACHE_HINTS as PRODUCT_HINTS
from subgraphs.products.schema import schema as products_schema
from subgraphs.users.app import SUBGRAPH
from subgraphs.users.models import UsersBase
from subgraphs.users.settings import UserServiceSettings
from tests.support.identity import ADMIN_IDENTITY, internal_headers

PRODUCT_ENTITIES = (
    "query($representations: [_Any!]!) { _entities(representations: $representations) "
    "{ ... on Product { name price } } }"
)


def products(query: str, hints: dict[str, CacheHint] | None = None) -> str:
    schema = products_schema._schema
    return cache_control_for(schema, parse(query), None, PRODUCT_HINTS if hints is None else hints)


def orders(query: str) -> str:
    return cache_control_for(orders_schema._schema, parse(query), None, ORDER_HINTS)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ product(id: 1) { name } }", "max-age=60, public"),
        ("{ products { items { id name } pageInfo { totalCount } } }", "max-age=60, public"),
        (PRODUCT_ENTITIES, "max-age=60, public"),
        (
            "query Q { ...F } fragment F on Query { product(id: 1) { __typename name } }",
            "max-age=60, public",
        ),
        ("{ __typename }", "no-store"),  # nothing hinted: nothing to keep
        ("{ __schema { queryTypes: types { name } } }", "no-store"),
        ("{ _service { sdl } }", "no-store"),
        ('mutation { updateProduct(id: 1, input: {name: "x"}) { name } }', "no-store"),
    ],
)
def test_products_answers(query: str, expected: str) -> None:
    assert products(query) == expected


def test_an_unhinted_type_makes_the_answer_uncacheable() -> None:
    hints = {"Product": CacheHint(60)}  # no hint for ProductPage
    assert products("{ products { items { id } } }", hints) == "no-store"
    assert products("{ product(id: 1) { name } }", hints) == "max-age=60, public"


def test_the_shortest_lifetime_and_any_private_type_win() -> None:
    hints = {
        "Product": CacheHint(60),
        "ProductPage": CacheHint(10, private=True),
        "PageInfo": CacheHint.inherit(),
    }
    assert products("{ products { items { id } } }", hints) == "max-age=10, private"


def test_orders_answers_are_private() -> None:
    assert orders("{ order(id: 1) { id status items { quantity product { sku } } } }") == (
        "max-age=30, private"
    )
    entities = (
        "query($representations: [_Any!]!) { _entities(representations: $representations) "
        "{ ... on User { orders { id status } } } }"
    )
    assert orders(entities) == "max-age=30, private"


async def test_the_app_sends_the_header(make_engine) -> None:
    engine = await make_engine(UsersBase.metadata)
    app = create_service_app(SUBGRAPH, UserServiceSettings(env="development"), engine=engine)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://users", headers=internal_headers(ADMIN_IDENTITY)
    ) as client:
        created = await client.post(
            "/graphql",
            json={"query": 'mutation { createUser(input: {email: "a@b.io", name: "A"}) { id } }'},
        )
        assert created.headers["cache-control"] == "no-store"
        user_id = created.json()["data"]["createUser"]["id"]
        read = await client.post(
            "/graphql", json={"query": f'{{ user(id: "{user_id}") {{ id name }} }}'}
        )
        assert read.json()["data"]["user"]["name"] == "A"
        assert read.headers["cache-control"] == "max-age=60, private"
        missing = await client.post("/graphql", json={"query": "{ user(id: 1) { nope } }"})
        assert missing.headers.get("cache-control") in (None, "no-store")

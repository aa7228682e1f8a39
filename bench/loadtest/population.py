"""The data the load works on, made through the gateway as real clients would make it: a
catalogue (by the admin), shopper accounts (each registering), and a few orders per shopper,
confirmed by the inventory saga and some of them paid, so that the orders page has items,
products and payments from the first request on. One shopper has many orders: the orders page
is measured for it and for a shopper with few (the N+1 check)."""

from __future__ import annotations

import json
import random
import secrets
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from . import operations as ops
from .operations import OrderApi
from .stack import ADMIN_LOGIN, Stack

#: Words product names are made of, and what the search task looks for.
ADJECTIVES = ("Red", "Blue", "Steel", "Oak", "Compact", "Deluxe", "Travel", "Pro")
NOUNS = ("Widget", "Gadget", "Lamp", "Kettle", "Backpack", "Notebook", "Headset", "Bottle")
#: Orders of the shopper the orders page is measured for, and how many of them are paid.
HEAVY_ORDERS, HEAVY_PAID = 12, 6


class PopulationError(RuntimeError):
    """The data could not be made; the message carries the gateway's answer."""


@dataclass
class Population:
    admin: dict[str, str]
    products: list[dict[str, Any]] = field(default_factory=list)
    shoppers: list[dict[str, Any]] = field(default_factory=list)
    #: the shopper with HEAVY_ORDERS orders, and one with the usual few
    heavy: dict[str, Any] = field(default_factory=dict)
    light: dict[str, Any] = field(default_factory=dict)
    search_words: list[str] = field(default_factory=lambda: [*ADJECTIVES, *NOUNS])
    order_api: dict[str, bool] = field(default_factory=dict)

    def save(self, path: Path) -> Path:
        path.write_text(json.dumps(asdict(self), indent=1))
        return path

    @classmethod
    def load(cls, path: Path) -> Population:
        return cls(**json.loads(path.read_text()))


def client_address(n: int) -> str:
    """A distinct client address per simulated client (sent as X-Forwarded-For)."""
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class GraphQLClient:
    """POST /graphql as one client (its address, its token); `data` or PopulationError."""

    def __init__(self, stack: Stack, address: str, token: str | None = None) -> None:
        headers = {"X-Forwarded-For": address}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http = httpx.Client(base_url=stack.gateway_url, headers=headers, timeout=60)

    def data(self, query: str, variables: dict[str, Any]) -> Any:
        response = self.http.post("/graphql", json={"query": query, "variables": variables})
        try:
            payload = response.json()
        except ValueError:
            payload = {"errors": [{"message": response.text[:300]}]}
        if response.status_code != 200 or payload.get("errors"):
            raise PopulationError(f"HTTP {response.status_code}: {json.dumps(payload)[:400]}")
        return payload["data"]


def sign_in(stack: Stack, login: str, password: str, address: str) -> str:
    data = GraphQLClient(stack, address).data(ops.LOGIN, {"login": login, "password": password})
    return str(data["login"]["accessToken"])


def make_products(admin: GraphQLClient, count: int, run: str) -> list[dict[str, Any]]:
    rng = random.Random(run)
    products = []
    for n in range(count):
        name = f"{ADJECTIVES[n % len(ADJECTIVES)]} {NOUNS[(n // len(ADJECTIVES)) % len(NOUNS)]}"
        product = {
            "sku": f"LT-{run}-{n:03d}".upper(),
            "name": f"{name} {n}",
            "description": f"{name}, made for the load test",
            "price": round(rng.uniform(3, 120), 2),
            "stock": 1_000_000,
        }
        products.append(admin.data(ops.CREATE_PRODUCT, {"input": product})["createProduct"])
    return products


def register(stack: Stack, run: str, n: int) -> dict[str, Any]:
    """Shopper n's account, registered as a user would; on a loaded machine a registration
    can outlast the gateway's subgraph timeout, so an unanswered one is finished by signing in
    (it was made) or tried again (it was not)."""
    password = secrets.token_urlsafe(12)
    username = f"lt{run}u{n}"
    email = f"{username}@example.com"
    address = client_address(1000 + n)
    client = GraphQLClient(stack, address)
    variables = {
        "input": {"email": email, "username": username, "password": password, "name": username}
    }
    for attempt in range(3):
        try:
            user = client.data(ops.REGISTER, variables)["register"]
            token, user_id = user["accessToken"], user["user"]["id"]
            break
        except PopulationError as exc:
            if "SUBGRAPH_UNAVAILABLE" not in str(exc) or attempt == 2:
                raise
        try:
            signed_in = client.data(ops.LOGIN, {"login": username, "password": password})["login"]
            token, user_id = signed_in["accessToken"], signed_in["user"]["id"]
            break
        except PopulationError:
            continue
    else:
        raise PopulationError(f"could not register {username}: no answer three times")
    return {
        "login": username,
        "password": password,
        "id": user_id,
        "token": token,
        "address": address,
    }


def place_and_pay(
    stack: Stack,
    api: OrderApi,
    shopper: dict[str, Any],
    products: list[dict[str, Any]],
    orders: int,
    paid: int,
    rng: random.Random,
) -> None:
    """`orders` orders for the shopper, each confirmed by the saga; the first `paid` paid."""
    client = GraphQLClient(stack, shopper["address"], shopper["token"])
    ids = []
    for _ in range(orders):
        lines = [(p, rng.randint(1, 3)) for p in rng.sample(products, rng.randint(1, 3))]
        order_input = api.graphql_input(lines, uuid.uuid4().hex)
        ids.append(client.data(ops.CREATE_ORDER, {"input": order_input})["createOrder"]["id"])
    for order_id in ids[:paid]:
        wait_confirmed(client, order_id)
        payment = retry(lambda oid=order_id: client.data(ops.CREATE_PAYMENT, {"orderId": oid}))
        client.data(ops.PROCESS_PAYMENT, {"id": payment["createPayment"]["id"]})


def wait_confirmed(client: GraphQLClient, order_id: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while True:
        status = client.data(ops.ORDER_STATUS, {"id": order_id})["order"]["status"]
        if status == "CONFIRMED":
            return
        if status != "PENDING" or time.monotonic() > deadline:
            raise PopulationError(f"order {order_id} is {status}, not CONFIRMED")
        time.sleep(0.2)


def retry(call: Any, limit: float = 30.0) -> Any:
    """The payments subgraph hears of an order through events: retry until it has."""
    deadline = time.monotonic() + limit
    while True:
        try:
            return call()
        except PopulationError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def populate(stack: Stack, shoppers: int, products: int, api: OrderApi) -> Population:
    """Make the catalogue, the shoppers and their first orders; minutes at most."""
    run = uuid.uuid4().hex[:6]
    admin_address = client_address(1)
    admin_token = sign_in(stack, ADMIN_LOGIN, stack.admin_password, admin_address)
    admin = GraphQLClient(stack, admin_address, admin_token)
    population = Population(
        admin={"login": ADMIN_LOGIN, "password": stack.admin_password},
        order_api={
            "graphql_idempotency": api.graphql_idempotency,
            "item_price_field": api.item_price_field,
        },
    )
    population.products = make_products(admin, products, run)
    # One registration at a time: each hashes a password (argon2id, 64 MiB), and several at
    # once on a busy machine outlast the gateway's subgraph timeout.
    population.shoppers = [register(stack, run, n) for n in range(shoppers + 2)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        rng = random.Random(run)
        heavy, light, *rest = population.shoppers
        plans = [(heavy, HEAVY_ORDERS, HEAVY_PAID), (light, 2, 1), *((s, 2, 1) for s in rest)]
        seeded = [(*plan, random.Random(rng.random())) for plan in plans]

        def orders_of(plan: tuple[dict[str, Any], int, int, random.Random]) -> None:
            shopper, orders, paid, own_rng = plan
            place_and_pay(stack, api, shopper, population.products, orders, paid, own_rng)

        list(pool.map(orders_of, seeded))
    population.heavy, population.light = heavy, light
    population.shoppers = rest
    return population

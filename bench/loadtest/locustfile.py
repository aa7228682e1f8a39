"""The load test's mix (Locust): who uses the system and what they do, with think time.

- Anonymous visitors (5 in 10) browse the catalogue page by page, search it, open a product.
- Shoppers (4 in 10) sign in as an account of their own, browse and search, open their orders
  page (orders with user, items with products, and payment), place orders with an idempotency
  key (sometimes sending the same order again with the same key, as a client retrying after a
  timeout would: it must get the same order back), pay a confirmed order, and now and then
  start a new session (sign in again). A client whose sign-in failed signs in again before
  anything that needs it, after a back-off (1, 2, 4 ... 30 s), as a real one would.
- Admins (1 in 10) sign in and page through users, orders (with their user), payments (with
  their order) and the audit log.

Every answer is checked: HTTP 200 (201 for REST creation), JSON, no GraphQL `errors`, the field
asked for present; anything else is a failure, which `make loadtest` reports and fails on.
Each client sends an address of its own as X-Forwarded-For (rate limits and login throttling
count clients apart, as behind nginx). Run by `python -m bench.loadtest`, which passes the
population it made in LOADTEST_POPULATION.
"""

from __future__ import annotations

import itertools
import os
import random
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, task

from bench.loadtest import operations as ops
from bench.loadtest.checks import graphql_problem, rest_problem
from bench.loadtest.operations import OrderApi
from bench.loadtest.population import Population, client_address

POPULATION = Population.load(Path(os.environ["LOADTEST_POPULATION"]))
ORDER_API = OrderApi(**POPULATION.order_api)
#: Each shopper client signs in as an account no other client uses.
_accounts = iter(POPULATION.shoppers)
_addresses = itertools.count(10_000)
#: A confirmed order is paid once the payments subgraph has surely heard of its confirmation
#: (and so of its total): that long after its last change.
PAYABLE_AFTER = timedelta(seconds=10)
#: Share of orders sent a second time with the same idempotency key.
RETRY_SHARE = 0.1
#: Longest wait before signing in again after a failed sign-in.
MAX_BACKOFF = 30.0


class Client(FastHttpUser):
    abstract = True
    wait_time = between(0.1, 0.6)

    def on_start(self) -> None:
        self.address = client_address(next(_addresses))
        self.token: str | None = None
        #: after a failed sign-in: seconds to wait before the next try, and when that is
        self.backoff = 0.0
        self.sign_in_after = 0.0

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"X-Forwarded-For": self.address, **(extra or {})}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def post(
        self,
        label: str,
        path: str,
        body: dict[str, Any],
        check: Callable[[int, str], tuple[str | None, Any]],
        headers: dict[str, str] | None = None,
    ) -> Any:
        """POST `body`; what `check` finds in a sound answer, or None (a failure under `label`)."""
        with self.client.post(
            path, json=body, headers=self.headers(headers), name=label, catch_response=True
        ) as response:
            problem, value = check(response.status_code, response.text)
            if problem:
                response.failure(problem)
                return None
            response.success()
            return value

    def graphql(self, label: str, query: str, variables: dict[str, Any], field: str) -> Any:
        """The `data[field]` of a checked answer, or None (a failure recorded under `label`)."""
        body = {"query": query, "variables": variables}
        return self.post(
            label, "/graphql", body, lambda status, text: graphql_problem(status, text, field)
        )

    def sign_in(self, login: str, password: str) -> None:
        self.token = None
        data = self.graphql("sign in", ops.LOGIN, {"login": login, "password": password}, "login")
        if data is not None:
            self.token, self.backoff = data["accessToken"], 0.0
            return
        # As a client would: try again later, waiting twice as long each time (at most 30 s).
        self.backoff = min(MAX_BACKOFF, max(1.0, 2 * self.backoff))
        self.sign_in_after = time.monotonic() + self.backoff

    def signed_in(self) -> bool:
        """Signed in, or signing in now (a client whose sign-in failed tries again, after its
        back-off, before anything that needs it); False otherwise: the task is skipped, nothing
        is sent anonymously in its place."""
        if self.token is None and time.monotonic() >= self.sign_in_after:
            login, password = self.credentials()
            self.sign_in(login, password)
        return self.token is not None

    def credentials(self) -> tuple[str, str]:
        raise NotImplementedError

    def catalogue(self) -> None:
        variables = {"page": random.randint(1, 3), "pageSize": 20}
        self.graphql("catalogue page", ops.CATALOGUE, variables, "products")

    def search(self) -> None:
        word = random.choice(POPULATION.search_words)
        self.graphql("catalogue search", ops.SEARCH, {"search": word}, "products")


class AnonymousVisitor(Client):
    weight = 5

    @task(5)
    def browse(self) -> None:
        self.catalogue()

    @task(3)
    def look_for(self) -> None:
        self.search()

    @task(2)
    def open_product(self) -> None:
        sku = random.choice(POPULATION.products)["sku"]
        self.graphql("product page", ops.PRODUCT, {"sku": sku}, "productBySku")


class Shopper(Client):
    weight = 4

    def on_start(self) -> None:
        super().on_start()
        self.account = next(_accounts)
        self.address = self.account["address"]
        self.signed_in()

    def credentials(self) -> tuple[str, str]:
        return self.account["login"], self.account["password"]

    @task(10)
    def browse(self) -> None:
        self.catalogue()

    @task(5)
    def look_for(self) -> None:
        self.search()

    @task(15)
    def my_orders(self) -> None:
        if self.signed_in():
            self.graphql("orders page (my orders)", ops.MY_ORDERS, {"pageSize": 10}, "myOrders")

    @task(10)
    def place_order(self) -> None:
        if not self.signed_in():
            return
        lines = [
            (product, random.randint(1, 3))
            for product in random.sample(POPULATION.products, random.randint(1, 3))
        ]
        key = uuid.uuid4().hex
        first = self.order(lines, key, "place order")
        if first is not None and random.random() < RETRY_SHARE:
            again = self.order(lines, key, "place order again (same key)")
            if again is not None and str(again) != str(first):
                self.environment.events.request.fire(
                    request_type="CHECK",
                    name="place order again (same key)",
                    response_time=0,
                    response_length=0,
                    exception=AssertionError(f"same key, another order: {first} then {again}"),
                )

    def order(self, lines: list[tuple[dict[str, Any], int]], key: str, label: str) -> Any:
        """Place an order with an idempotency key; its id, or None (a failure)."""
        if ORDER_API.graphql_idempotency:
            order_input = ORDER_API.graphql_input(lines, key)
            created = self.graphql(label, ops.CREATE_ORDER, {"input": order_input}, "createOrder")
            return None if created is None else created["id"]
        headers = {"Idempotency-Key": key}
        body = ORDER_API.rest_body(lines)
        order = self.post(f"{label} (REST)", "/api/v1/orders", body, rest_problem, headers)
        return None if order is None else order["id"]

    @task(5)
    def pay(self) -> None:
        if not self.signed_in():
            return
        page = self.graphql(
            "orders to pay",
            "query Payable { myOrders(status: CONFIRMED, pageSize: 20) "
            "{ items { id updatedAt payment { id status } } } }",
            {},
            "myOrders",
        )
        if page is None:
            return
        now = datetime.now(UTC)
        payable = [
            order
            for order in page["items"]
            if order["payment"] is None
            and now - datetime.fromisoformat(order["updatedAt"].replace("Z", "+00:00"))
            > PAYABLE_AFTER
        ]
        if not payable:
            return
        created = self.graphql(
            "pay: create payment",
            ops.CREATE_PAYMENT,
            {"orderId": payable[0]["id"]},
            "createPayment",
        )
        if created is not None:
            self.graphql(
                "pay: process payment", ops.PROCESS_PAYMENT, {"id": created["id"]}, "processPayment"
            )

    @task(1)
    def sign_in_again(self) -> None:
        """A new session of the same shopper (one action in 46)."""
        self.sign_in(*self.credentials())


class Admin(Client):
    weight = 1

    def on_start(self) -> None:
        super().on_start()
        self.signed_in()

    def credentials(self) -> tuple[str, str]:
        return POPULATION.admin["login"], POPULATION.admin["password"]

    def admin_list(self, label: str, query: str, pages: int, field: str) -> None:
        if self.signed_in():
            self.graphql(label, query, {"page": random.randint(1, pages)}, field)

    @task
    def users(self) -> None:
        self.admin_list("admin: users", ops.ADMIN_USERS, 2, "users")

    @task
    def orders(self) -> None:
        self.admin_list("admin: orders", ops.ADMIN_ORDERS, 3, "orders")

    @task
    def payments(self) -> None:
        self.admin_list("admin: payments", ops.ADMIN_PAYMENTS, 2, "payments")

    @task
    def audit(self) -> None:
        self.admin_list("admin: audit log", ops.ADMIN_AUDIT, 3, "auditLogs")

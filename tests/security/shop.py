"""What the security tests set up: users, accounts of their own, products, REST calls."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from tests.support.stack import RunningStack


def new_user(stack: RunningStack) -> dict[str, str]:
    """A fresh normal user (made by an admin); the headers of their own token."""
    user = stack.data(
        "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }",
        {"input": {"email": f"sec.{uuid.uuid4().hex[:10]}@example.com", "name": "Customer"}},
        headers=stack.admin,
    )["createUser"]
    return stack.auth("user", user_id=int(user["id"]))


#: The password of every account `new_account` registers.
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Account:
    """An account registered as a person would (`register`): its id, its username, and the
    headers of the token it got."""

    id: str
    username: str
    headers: dict[str, str]


def new_account(stack: RunningStack) -> Account:
    """A fresh account of its own, password `PASSWORD`."""
    username = f"sec-{uuid.uuid4().hex[:10]}"
    signed_in = stack.data(
        "mutation($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }",
        {"input": {"email": f"{username}@example.com", "username": username, "password": PASSWORD}},
    )["register"]
    token = {"Authorization": f"Bearer {signed_in['accessToken']}"}
    return Account(signed_in["user"]["id"], username, token)


def new_product(stack: RunningStack, price: Decimal, stock: int) -> str:
    """A product of its own (a fresh sku) at `price`; its sku."""
    sku = f"SEC-{uuid.uuid4().hex[:10].upper()}"
    stack.data(
        "mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }",
        {"input": {"sku": sku, "name": f"Product {sku}", "price": float(price), "stock": stock}},
        headers=stack.admin,
    )
    return sku


def rest(
    stack: RunningStack, method: str, path: str, headers: dict[str, str], **kw: Any
) -> httpx.Response:
    """`method` `path` on the stack's gateway (`kw` to httpx: json, params)."""
    return httpx.request(method, f"{stack.gateway_url}{path}", headers=headers, timeout=60, **kw)

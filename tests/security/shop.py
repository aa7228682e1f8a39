"""What the security tests of orders and payments set up: users, products, REST calls."""

from __future__ import annotations

import uuid
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

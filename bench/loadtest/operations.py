"""The operations of the load test's mix, and how the API in this tree wants them sent.

The documents are what the front end and the original REST clients send. Where the API is still
moving (an `idempotencyKey` on `createOrder`, client prices on order items), `OrderApi` reads the
supergraph the gateway serves and sends what it accepts, so the mix stays valid either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import InputObjectTypeDefinitionNode, parse

SUPERGRAPH = Path(__file__).resolve().parents[2] / "schema" / "supergraph.graphql"

PAGE_INFO = "pageInfo { page pageSize totalPages totalCount }"

CATALOGUE = f"""
query Catalogue($page: Int!, $pageSize: Int!) {{
  products(page: $page, pageSize: $pageSize, active: true) {{
    items {{ id sku name price stock }}
    {PAGE_INFO}
  }}
}}"""

SEARCH = f"""
query Search($search: String!) {{
  products(search: $search, pageSize: 10, inStock: true) {{
    items {{ id sku name price }}
    {PAGE_INFO}
  }}
}}"""

PRODUCT = """
query Product($sku: String!) {
  productBySku(sku: $sku) { id sku name description price stock active }
}"""

LOGIN = """
mutation SignIn($login: String!, $password: String!) {
  login(input: {login: $login, password: $password}) {
    accessToken refreshToken expiresIn
    user { id username role }
  }
}"""

REGISTER = """
mutation Register($input: RegisterInput!) {
  register(input: $input) { accessToken user { id username } }
}"""

#: The orders page: my orders with their user, items with products, and payment.
MY_ORDERS = f"""
query MyOrders($pageSize: Int!) {{
  myOrders(page: 1, pageSize: $pageSize) {{
    items {{
      id status totalAmount createdAt
      user {{ id name email }}
      items {{ quantity unitPrice lineTotal product {{ sku name price }} }}
      payment {{ id status amount }}
    }}
    {PAGE_INFO}
  }}
}}"""

CREATE_ORDER = """
mutation PlaceOrder($input: CreateOrderInput!) {
  createOrder(input: $input) { id status totalAmount }
}"""

ORDER_STATUS = "query OrderStatus($id: ID!) { order(id: $id) { id status } }"

CREATE_PAYMENT = """
mutation Pay($orderId: ID!) {
  createPayment(input: {orderId: $orderId, method: CARD, cardToken: "tok_visa"}) { id status }
}"""

PROCESS_PAYMENT = "mutation Charge($id: ID!) { processPayment(id: $id) { id status amount } }"

ADMIN_USERS = f"""
query AdminUsers($page: Int!) {{
  users(page: $page, pageSize: 20) {{ items {{ id username email role active }} {PAGE_INFO} }}
}}"""

ADMIN_ORDERS = f"""
query AdminOrders($page: Int!) {{
  orders(page: $page, pageSize: 20) {{
    items {{ id status totalAmount createdAt user {{ id name email }} }}
    {PAGE_INFO}
  }}
}}"""

ADMIN_PAYMENTS = f"""
query AdminPayments($page: Int!) {{
  payments(page: $page, pageSize: 20) {{
    items {{ id status amount currency order {{ id status }} }}
    {PAGE_INFO}
  }}
}}"""

ADMIN_AUDIT = f"""
query AdminAudit($page: Int!) {{
  auditLogs(page: $page, pageSize: 20) {{ items {{ id action entityType entityId }} {PAGE_INFO} }}
}}"""

CREATE_PRODUCT = """
mutation AddProduct($input: CreateProductInput!) {
  createProduct(input: $input) { id sku name price stock }
}"""


def input_fields(sdl: str) -> dict[str, set[str]]:
    """Each input type of a schema's SDL and its field names."""
    return {
        node.name.value: {field.name.value for field in node.fields or ()}
        for node in parse(sdl).definitions
        if isinstance(node, InputObjectTypeDefinitionNode)
    }


@dataclass(frozen=True)
class OrderApi:
    """How this tree's API places an order: GraphQL `createOrder` with `idempotencyKey` when the
    input has it, else the REST shim `POST /api/v1/orders` with an `Idempotency-Key` header; a
    client price on each item only where the input still takes one (always the catalogue's)."""

    graphql_idempotency: bool
    item_price_field: bool

    @classmethod
    def of(cls, sdl: str) -> OrderApi:
        inputs = input_fields(sdl)
        return cls(
            graphql_idempotency="idempotencyKey" in inputs.get("CreateOrderInput", set()),
            item_price_field="unitPrice" in inputs.get("OrderItemInput", set()),
        )

    @classmethod
    def of_tree(cls) -> OrderApi:
        return cls.of(SUPERGRAPH.read_text())

    def items(self, lines: list[tuple[dict[str, Any], int]], rest: bool = False) -> list[Any]:
        """Order items for (product, quantity) lines, camelCase for GraphQL or snake_case for
        the REST shim, with the catalogue's price only while the input takes one."""
        product_id, unit_price = (
            ("product_id", "unit_price") if rest else ("productId", "unitPrice")
        )
        items = []
        for product, quantity in lines:
            item: dict[str, Any] = {product_id: product["sku"], "quantity": quantity}
            if self.item_price_field:
                item[unit_price] = product["price"]
            items.append(item)
        return items

    def graphql_input(self, lines: list[tuple[dict[str, Any], int]], key: str) -> dict[str, Any]:
        """`CreateOrderInput` for (product, quantity) lines and an idempotency key."""
        order: dict[str, Any] = {"items": self.items(lines)}
        if self.graphql_idempotency:
            order["idempotencyKey"] = key
        return order

    def rest_body(self, lines: list[tuple[dict[str, Any], int]]) -> dict[str, Any]:
        """The REST shim's body for the same lines (snake_case, as the original API)."""
        return {"items": self.items(lines, rest=True)}

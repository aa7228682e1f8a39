from tests.federation.model import SubgraphData

USERS = [
    {"id": "1", "name": "Ada", "email": "ada@example.com", "phone": "+44 1"},
    {"id": "2", "name": "Alan", "email": "alan@example.com", "phone": "+44 2"},
]
accounts = SubgraphData(
    rows={
        "User": USERS,
        "AuditEntry": [
            {"action": "order.created", "actor": USERS[0]},
            {"action": "order.cancelled", "actor": USERS[1]},
        ],
    }
)
accounts.resolvers = {
    "Query": {
        "me": lambda *_: accounts.find("User", id="1"),
        "user": lambda _, __, id: accounts.find("User", id=id),
        "users": lambda *_: accounts.rows["User"],
        "auditLog": lambda *_: accounts.rows["AuditEntry"],
    }
}

ORDERS = [
    {"id": "o1", "total": 30, "buyer": {"__typename": "User", "id": "1"}, "internalNote": "vip"},
    {"id": "o2", "total": 12, "buyer": {"__typename": "User", "id": "2"}, "internalNote": None},
]
orders = SubgraphData(
    rows={
        "Order": ORDERS,
        "User": [{"id": "1", "creditLimit": 500}, {"id": "2", "creditLimit": 100}],
    }
)
orders.resolvers = {
    "Query": {"orders": lambda *_: ORDERS, "latestOrder": lambda *_: ORDERS[-1]},
    "Mutation": {"cancelOrder": lambda _, __, id: orders.find("Order", id=id)},
    "User": {"orders": lambda user, _: [o for o in ORDERS if o["buyer"]["id"] == user["id"]]},
}

SUPPLIER = {"__typename": "Supplier", "name": "Woodworks"}
PRODUCTS = [
    {"upc": "p1", "name": "Table", "cost": 40, "supplier": SUPPLIER},
    {"upc": "p2", "name": "Chair", "cost": 15, "supplier": None},
]
catalog = SubgraphData(rows={"Product": PRODUCTS})
catalog.resolvers = {
    "Query": {
        "products": lambda *_: PRODUCTS,
        "search": lambda *_, **__: [PRODUCTS[0], SUPPLIER],
    }
}

SUBGRAPHS = {"accounts": accounts, "orders": orders, "catalog": catalog}

from tests.federation.model import SubgraphData

USERS = [
    {"id": "1", "name": "Ada Lovelace", "username": "@ada"},
    {"id": "2", "name": "Alan Turing", "username": "@complete"},
]
accounts = SubgraphData(rows={"User": USERS})
accounts.resolvers = {"Query": {"me": lambda *_: USERS[0]}}

PRODUCTS = [
    {"upc": "1", "name": "Table", "price": 899, "weight": 100},
    {"upc": "2", "name": "Couch", "price": 1299, "weight": 1000},
    {"upc": "3", "name": "Chair", "price": 54, "weight": 50},
]
products = SubgraphData(rows={"Product": PRODUCTS})
products.resolvers = {"Query": {"topProducts": lambda _, __, first: PRODUCTS[:first]}}

inventory = SubgraphData(
    rows={
        "Product": [
            {"upc": "1", "inStock": True},
            {"upc": "2", "inStock": False},
            {"upc": "3", "inStock": True},
        ]
    },
    resolvers={
        "Product": {
            "shippingEstimate": lambda p, _: 0 if p["price"] > 1000 else p["weight"] // 2,
        }
    },
)


def _author(user_id):
    user = next(u for u in USERS if u["id"] == user_id)
    return {"__typename": "User", "id": user_id, "username": user["username"]}


REVIEWS = [
    {
        "id": "1",
        "body": "Love it!",
        "author": _author("1"),
        "product": {"__typename": "Product", "upc": "1"},
    },
    {
        "id": "2",
        "body": "Too expensive.",
        "author": _author("1"),
        "product": {"__typename": "Product", "upc": "2"},
    },
    {
        "id": "3",
        "body": "Could be better.",
        "author": _author("2"),
        "product": {"__typename": "Product", "upc": "3"},
    },
    {
        "id": "4",
        "body": "Prefer something else.",
        "author": _author("2"),
        "product": {"__typename": "Product", "upc": "1"},
    },
]
reviews = SubgraphData(rows={"Review": REVIEWS})
reviews.resolvers = {
    "User": {"reviews": lambda u, _: [r for r in REVIEWS if r["author"]["id"] == u["id"]]},
    "Product": {"reviews": lambda p, _: [r for r in REVIEWS if r["product"]["upc"] == p["upc"]]},
}
reviews.references = {"User": lambda rep, _: rep, "Product": lambda rep, _: rep}

SUBGRAPHS = {"accounts": accounts, "products": products, "inventory": inventory, "reviews": reviews}

from graphql import GraphQLError

from tests.federation.model import SubgraphData

REVIEWS = [
    {
        "id": "r1",
        "body": "Fine",
        "author": {"__typename": "User", "id": "u1"},
        "product": {"__typename": "Product", "upc": "p1"},
    },
    # u2's name is null in accounts although User.name is non-null.
    {
        "id": "r2",
        "body": "Broken",
        "author": {"__typename": "User", "id": "u2"},
        "product": {"__typename": "Product", "upc": "p2"},
    },
    # u404 does not exist in accounts.
    {
        "id": "r3",
        "body": "Ghost",
        "author": {"__typename": "User", "id": "u404"},
        "product": {"__typename": "Product", "upc": "p3"},
    },
]


def failing(*_):
    raise GraphQLError("reviews cannot do that", extensions={"code": "FORBIDDEN", "reason": "demo"})


reviews = SubgraphData(rows={"Review": REVIEWS})
reviews.resolvers = {
    "Query": {
        "reviews": lambda *_: REVIEWS,
        "strictReviews": lambda *_: REVIEWS,
        "failing": failing,
    }
}

accounts = SubgraphData(
    rows={
        "User": [
            {"id": "u1", "name": "Ada", "nickname": "ada"},
            {"id": "u2", "name": None, "nickname": "ghost"},
        ]
    }
)


def stock(product, _):
    if product["upc"] == "p2":
        raise GraphQLError(
            "stock is degraded", extensions={"code": "STOCK_DEGRADED", "retryable": True}
        )
    return {"p1": 3, "p3": 0}[product["upc"]]


inventory = SubgraphData(
    rows={
        "Product": [
            {"upc": "p1", "name": "Table"},
            {"upc": "p2", "name": "Lamp"},
            {"upc": "p3", "name": "Chair"},
        ]
    },
    resolvers={"Product": {"stock": stock}},
)

SUBGRAPHS = {"reviews": reviews, "accounts": accounts, "inventory": inventory}

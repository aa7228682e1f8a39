from graphql import GraphQLError

from tests.federation.model import SubgraphData

RATES = {"USD": 100, "EUR": 92}
PRODUCTS = [
    {
        "upc": "p1",
        "name": "Table",
        "weight": 20,
        "dimensions": {"size": "L", "volume": 300},
        "packaging": {"__typename": "Box", "width": 10, "height": 4},
        "base": 200,
    },
    {
        "upc": "p2",
        "name": "Poster",
        "weight": 1,
        "dimensions": {"size": "S", "volume": 2},
        "packaging": {"__typename": "Envelope", "format": "A3"},
        "base": 20,
    },
    {
        "upc": "p3",
        "name": "Gift card",
        "weight": 0,
        "dimensions": {"size": "XS", "volume": 1},
        "packaging": None,
        "base": 50,
    },
]
products = SubgraphData(rows={"Product": PRODUCTS})
products.resolvers = {
    "Query": {"products": lambda *_: PRODUCTS},
    "Product": {"price": lambda p, _, currency: p["base"] * RATES[currency] // 100},
}


def _need(parent, *fields):
    missing = [f for f in fields if f not in parent]
    if missing:
        raise GraphQLError(f"required fields missing from the representation: {missing}")


def shipping_estimate(p, _):
    _need(p, "weight", "dimensions")
    return p["weight"] * 2 + {"XS": 1, "S": 2, "M": 3, "L": 5}[p["dimensions"]["size"]]


def packaging_cost(p, _):
    _need(p, "packaging")
    pack = p["packaging"]
    if pack is None:
        return 0
    if "width" in pack:
        return pack["width"] * pack["height"]
    return {"A3": 3, "A4": 2}[pack["format"]]


def tax(p, _):
    _need(p, "price")
    return p["price"] // 5


def insurance(p, _):
    _need(p, "price", "inStock")
    return p["price"] // 10 + (5 if p["inStock"] == 0 else 0)


shipping = SubgraphData(
    resolvers={
        "Product": {
            "shippingEstimate": shipping_estimate,
            "packagingCost": packaging_cost,
            "tax": tax,
            "insurance": insurance,
        }
    }
)


def delivery(p, _):
    _need(p, "shippingEstimate")
    return "express" if p["shippingEstimate"] < 10 else "freight"


inventory = SubgraphData(
    rows={
        "Product": [
            {"upc": "p1", "inStock": 3},
            {"upc": "p2", "inStock": 0},
            {"upc": "p3", "inStock": 99},
        ]
    },
    resolvers={"Product": {"delivery": delivery}},
)

SUBGRAPHS = {"products": products, "shipping": shipping, "inventory": inventory}

from tests.federation.model import SubgraphData

USERS = [
    {"id": "u1", "email": "ada@example.com", "name": "Ada"},
    {"id": "u2", "email": "alan@example.com", "name": "Alan"},
    {"id": "u3", "email": "grace@example.com", "name": "Grace"},
]
ORGS = [{"id": "o1", "name": "Acme"}, {"id": "o2", "name": "Globex"}]
MEMBERS = [
    {"id": "m1", "org": {"id": "o1"}, "name": "Mia (Acme)"},
    {"id": "m1", "org": {"id": "o2"}, "name": "Max (Globex)"},
    {"id": "m2", "org": {"id": "o1"}, "name": "Noa (Acme)"},
]
accounts = SubgraphData(rows={"User": USERS, "Organization": ORGS, "Member": MEMBERS})
accounts.resolvers = {
    "Query": {
        "me": lambda *_: accounts.find("User", id="u1"),
        "users": lambda *_: accounts.rows["User"],
        "members": lambda *_: accounts.rows["Member"],
    },
    "Member": {"org": lambda m, _: accounts.find("Organization", id=m["org"]["id"])},
}

mail = SubgraphData(
    rows={
        "User": [
            {"email": "ada@example.com", "newsletter": True},
            {"email": "alan@example.com", "newsletter": False},
            {"email": "grace@example.com", "newsletter": True},
        ]
    }
)

REVIEWS = [
    {"id": "r1", "body": "Sturdy", "author": {"id": "u1"}, "product": {"upc": "p1"}},
    {"id": "r2", "body": "Wobbly", "author": {"id": "u2"}, "product": {"upc": "p2"}},
    {"id": "r3", "body": "Love it", "author": {"id": "u1"}, "product": {"upc": "p1"}},
    {"id": "r4", "body": "Meh", "author": {"id": "u3"}, "product": {"upc": "p3"}},
]
for r in REVIEWS:
    r["author"]["__typename"] = "User"
    r["product"]["__typename"] = "Product"
reviews = SubgraphData(rows={"Review": REVIEWS})
reviews.resolvers = {
    "Query": {"topReviews": lambda _, __, first: REVIEWS[:first]},
    "Product": {"reviews": lambda p, _: [r for r in REVIEWS if r["product"]["upc"] == p["upc"]]},
}
# Every upc is reviewable: the representation is the product.
reviews.references = {"Product": lambda rep, _: {"upc": rep["upc"]}}

products = SubgraphData(
    rows={
        "Product": [
            {
                "upc": "p1",
                "sku": "SKU-1",
                "name": "Table",
                "lastShipment": {
                    "__typename": "Shipment",
                    "carrier": "UPS",
                    "trackingNumber": "1Z1",
                },
            },
            {
                "upc": "p2",
                "sku": "SKU-2",
                "name": "Chair",
                "lastShipment": {
                    "__typename": "Shipment",
                    "carrier": "DHL",
                    "trackingNumber": "1Z1",
                },
            },
            {"upc": "p3", "sku": "SKU-3", "name": "Lamp", "lastShipment": None},
        ]
    }
)
products.resolvers = {"Query": {"products": lambda *_: products.rows["Product"]}}

inventory = SubgraphData(
    rows={
        "Product": [
            {"sku": "SKU-1", "inStock": 4},
            {"sku": "SKU-2", "inStock": 0},
            {"sku": "SKU-3", "inStock": 12},
        ]
    }
)

shipping = SubgraphData(
    rows={
        "Shipment": [
            {"carrier": "UPS", "trackingNumber": "1Z1", "status": "delivered"},
            {"carrier": "DHL", "trackingNumber": "1Z1", "status": "in transit"},
        ],
        "Member": [
            {
                "id": "m1",
                "org": {"__typename": "Organization", "id": "o1"},
                "shipments": [
                    {
                        "__typename": "Shipment",
                        "carrier": "UPS",
                        "trackingNumber": "1Z1",
                        "status": "delivered",
                    }
                ],
            },
            {
                "id": "m1",
                "org": {"__typename": "Organization", "id": "o2"},
                "shipments": [
                    {
                        "__typename": "Shipment",
                        "carrier": "DHL",
                        "trackingNumber": "1Z1",
                        "status": "in transit",
                    }
                ],
            },
            {"id": "m2", "org": {"__typename": "Organization", "id": "o1"}, "shipments": []},
        ],
    }
)

SUBGRAPHS = {
    "accounts": accounts,
    "mail": mail,
    "reviews": reviews,
    "products": products,
    "inventory": inventory,
    "shipping": shipping,
}

from tests.federation.model import SubgraphData

PRODUCTS = [
    {"id": "1", "sku": "S-1", "name": "Table", "color": "oak", "size": "L", "price": 300},
    {"id": "2", "sku": "S-2", "name": "Chair", "color": "red", "size": "M", "price": 80},
    {"id": "3", "sku": "S-3", "name": "Lamp", "color": "white", "size": "S", "price": 40},
]


def _only(*fields: str) -> list[dict[str, object]]:
    return [{f: p[f] for f in fields} for p in PRODUCTS]


atlas = SubgraphData(rows={"Product": _only("id", "name", "color", "size", "price")})
atlas.resolvers = {"Query": {"topProducts": lambda *_: atlas.rows["Product"]}}

shop = SubgraphData(rows={"Product": _only("id", "sku", "name", "color", "price")})
shop.resolvers = {"Query": {"topProducts": lambda *_: shop.rows["Product"]}}

inventory = SubgraphData(
    rows={
        "Product": [
            {"sku": "S-1", "stock": 4},
            {"sku": "S-2", "stock": 0},
            {"sku": "S-3", "stock": 9},
        ]
    }
)

REVIEWS = [
    {"id": "r1", "body": "Sturdy", "product": {"__typename": "Product", "id": "1"}},
    {"id": "r2", "body": "Wobbly", "product": {"__typename": "Product", "id": "2"}},
    {"id": "r3", "body": "Bright", "product": {"__typename": "Product", "id": "3"}},
]
reviews = SubgraphData(rows={"Review": REVIEWS})
reviews.resolvers = {"Query": {"reviews": lambda *_: REVIEWS}}
reviews.references = {"Product": lambda rep, _: {"id": rep["id"]}}

SUBGRAPHS = {"atlas": atlas, "shop": shop, "inventory": inventory, "reviews": reviews}

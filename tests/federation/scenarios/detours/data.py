from tests.federation.model import SubgraphData

PRODUCTS = [
    {"upc": "u1", "sku": "S-1", "name": "Table", "width": 120, "height": 75},
    {"upc": "u2", "sku": "S-2", "name": "Chair", "width": 45, "height": 90},
    {"upc": "u3", "sku": "S-3", "name": "Lamp", "width": 20, "height": 50},
]
ORDERS = [
    {"id": "o1", "product": {"__typename": "Product", "upc": "u1"}},
    {"id": "o2", "product": {"__typename": "Product", "upc": "u2"}},
    {"id": "o3", "product": {"__typename": "Product", "upc": "u1"}},
    {"id": "o4", "product": {"__typename": "Product", "upc": "u3"}},
]

store = SubgraphData(rows={"Order": ORDERS})
store.resolvers = {"Query": {"orders": lambda *_: ORDERS}}
store.references = {"Product": lambda rep, _: {"upc": rep["upc"]}}


def _dimensions(row: dict[str, object]) -> dict[str, object]:
    return {"width": row["width"], "height": row["height"]}


catalog = SubgraphData(
    rows={
        "Product": [
            {k: p[k] for k in ("upc", "sku", "name")} | {"dimensions": _dimensions(p)}
            for p in PRODUCTS
        ]
    }
)
catalog.resolvers = {
    "Query": {
        "product": lambda _, __, upc: catalog.find("Product", upc=upc),
        "stats": lambda *_: {"products": len(PRODUCTS), "skus": len(PRODUCTS)},
    },
}

STOCK = {"S-1": (4, 31, "A-1", "a1"), "S-2": (0, 6, "B-7", "a2"), "S-3": (12, 2, "A-3", "a1")}
warehouse = SubgraphData(
    rows={
        "Product": [
            {
                "sku": p["sku"],
                "stock": STOCK[p["sku"]][0],
                "dimensions": _dimensions(p) | {"weight": STOCK[p["sku"]][1]},
                "bin": {
                    "code": STOCK[p["sku"]][2],
                    "aisle": {"__typename": "Aisle", "id": STOCK[p["sku"]][3]},
                },
            }
            for p in PRODUCTS
        ]
    }
)

warehouse.resolvers = {
    "Query": {
        "stats": lambda *_: {
            "products": len(PRODUCTS),
            "totalStock": sum(s[0] for s in STOCK.values()),
        }
    }
}

floor = SubgraphData(
    rows={"Aisle": [{"id": "a1", "name": "Furniture"}, {"id": "a2", "name": "Seating"}]}
)

SUBGRAPHS = {"store": store, "catalog": catalog, "warehouse": warehouse, "floor": floor}

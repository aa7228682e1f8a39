from tests.federation.model import SubgraphData

ACME = {"name": "Acme"}
PIECES = [
    {"__typename": "Chair", "id": "c1", "label": "Oak chair", "maker": ACME},
    {"__typename": "Table", "id": "t1", "label": None, "maker": None},
    {"__typename": "Table", "id": "t2", "label": "Desk", "maker": {"name": "Birch & co"}},
    {"__typename": "Chair", "id": "c2", "label": "Stool", "maker": ACME},
]
ROOMS = [
    {"name": "Kitchen", "pieces": [PIECES[0], PIECES[1]]},
    {"name": "Study", "pieces": [PIECES[2]]},
    {"name": "Hall", "pieces": []},
]
furniture = SubgraphData(
    rows={
        "Chair": [p for p in PIECES if p["__typename"] == "Chair"],
        "Table": [p for p in PIECES if p["__typename"] == "Table"],
    }
)
furniture.resolvers = {"Query": {"pieces": lambda *_: PIECES, "rooms": lambda *_: ROOMS}}

catalog = SubgraphData(
    rows={
        "Chair": [
            {"id": "c1", "label": "Oak chair", "sku": "CH-1", "maker": ACME},
            {"id": "c2", "label": "Stool", "sku": "CH-2", "maker": ACME},
        ],
        "Table": [{"id": "t1", "sku": None}, {"id": "t2", "sku": "TB-2"}],
    }
)

legacy = SubgraphData(rows={"Chair": [{"id": "c1", "sku": "CH-1"}, {"id": "c2", "sku": "CH-2"}]})

SUBGRAPHS = {"furniture": furniture, "catalog": catalog, "legacy": legacy}

from tests.federation.model import SubgraphData

PIECES = [
    {"__typename": "Chair", "id": "c1", "label": "Oak chair"},
    {"__typename": "Table", "id": "t1", "label": None},
    {"__typename": "Table", "id": "t2", "label": "Desk"},
    {"__typename": "Chair", "id": "c2", "label": "Stool"},
]
furniture = SubgraphData(
    rows={
        "Chair": [p for p in PIECES if p["__typename"] == "Chair"],
        "Table": [p for p in PIECES if p["__typename"] == "Table"],
    }
)
furniture.resolvers = {"Query": {"pieces": lambda *_: PIECES}}

catalog = SubgraphData(
    rows={
        "Chair": [
            {"id": "c1", "label": "Oak chair", "sku": "CH-1"},
            {"id": "c2", "label": "Stool", "sku": "CH-2"},
        ],
        "Table": [{"id": "t1", "sku": None}, {"id": "t2", "sku": "TB-2"}],
    }
)

legacy = SubgraphData(rows={"Chair": [{"id": "c1", "sku": "CH-1"}, {"id": "c2", "sku": "CH-2"}]})

SUBGRAPHS = {"furniture": furniture, "catalog": catalog, "legacy": legacy}

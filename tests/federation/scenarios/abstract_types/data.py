from tests.federation.model import SubgraphData

CATALOG = [
    {"__typename": "Book", "id": "b1", "name": "Dune", "author": "Herbert"},
    {"__typename": "Furniture", "id": "f1", "name": "Chair", "material": "oak"},
    {"__typename": "Book", "id": "b2", "name": "Emma", "author": "Austen"},
]
catalog = SubgraphData(
    rows={
        "Book": [c for c in CATALOG if c["__typename"] == "Book"],
        "Furniture": [c for c in CATALOG if c["__typename"] == "Furniture"],
    }
)
catalog.resolvers = {
    "Query": {
        "products": lambda *_: CATALOG,
        "search": lambda _, __, term: [c for c in CATALOG if term.lower() in c["name"].lower()],
    }
}

BOOKS = [{"id": "b1", "isbn": "978-0441"}, {"id": "b2", "isbn": "978-0141"}]
DIGITAL = [{"id": "d1", "name": "Font pack", "sizeMb": 12}]
extras = SubgraphData(rows={"Book": BOOKS, "Digital": DIGITAL})
extras.resolvers = {
    "Query": {
        "recommended": lambda *_: [extras.rows["Digital"][0], extras.rows["Book"][1]],
        "extrasSearch": lambda *_: [extras.rows["Book"][0], extras.rows["Digital"][0]],
    }
}

SUBGRAPHS = {"catalog": catalog, "extras": extras}

from tests.federation.model import SubgraphData

CHAIRS = [
    {
        "id": "c1",
        "name": "Stool",
        "legs": 3,
        "finish": "OAK",
        "previousFinish": "SECRET",
        "finishes": ["OAK", "SECRET", "PINE"],
    },
    {
        "id": "c2",
        "name": "Throne",
        "legs": 4,
        "finish": "SECRET",
        "previousFinish": None,
        "finishes": [],
    },
]
DESKS = [
    {
        "id": "d1",
        "name": "Bench",
        "width": 160,
        "finish": "PINE",
        "previousFinish": "OAK",
        "finishes": ["PINE"],
    }
]
shop = SubgraphData(rows={"Chair": CHAIRS, "Desk": DESKS})
shop.resolvers = {
    "Query": {"things": lambda *_: CHAIRS + DESKS, "featured": lambda *_: DESKS + CHAIRS},
}
pricing = SubgraphData(rows={"Chair": [{"id": "c1"}, {"id": "c2"}], "Desk": [{"id": "d1"}]})
pricing.resolvers = {
    "Chair": {"price": lambda c, _: 10 * c["legs"]},
    "Desk": {"price": lambda d, _: d["width"]},
}
SUBGRAPHS = {"shop": shop, "pricing": pricing}

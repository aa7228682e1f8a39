from tests.federation.model import SubgraphData

BASE = [
    {
        "id": "1",
        "name": "Kettle",
        "stock": 5,
        "relevance": 0.9,
        "price": {"amount": 30, "currency": "EUR"},
        "discount": {"amount": 3, "currency": "EUR"},
    },
    {
        "id": "2",
        "name": "Toaster",
        "stock": 0,
        "relevance": 0.7,
        "price": {"amount": 45, "currency": "EUR"},
        "discount": None,
    },
    {
        "id": "3",
        "name": "Blender",
        "stock": 2,
        "relevance": 0.4,
        "price": {"amount": 80, "currency": "EUR"},
        "discount": {"amount": 10, "currency": "EUR"},
    },
]


def rows(*fields):
    return [{f: p[f] for f in ("id", *fields)} for p in BASE]


def subgraph(*fields, root=True):
    data = SubgraphData(rows={"Product": rows(*fields)})
    if root:
        data.resolvers = {
            "Query": {
                "topProducts": lambda _, __, first: data.rows["Product"][:first],
                "product": lambda _, __, id: data.find("Product", id=id),
            }
        }
    return data


SUBGRAPHS = {
    "catalog": subgraph("name", "stock", "price"),
    "search": subgraph("name", "relevance"),
    "pricing": subgraph("price", "discount", root=False),
}

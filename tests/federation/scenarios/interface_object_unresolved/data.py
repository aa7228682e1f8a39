from tests.federation.model import SubgraphData

ITEMS = [
    {"__typename": "Book", "id": "b1", "title": "Dune", "pages": 412},
    {"__typename": "Movie", "id": "m1", "title": "Alien", "minutes": 117},
]
media = SubgraphData(
    rows={
        "Book": [i for i in ITEMS if i["__typename"] == "Book"],
        "Movie": [i for i in ITEMS if i["__typename"] == "Movie"],
    }
)
media.resolvers = {
    "Query": {"media": lambda *_: ITEMS, "book": lambda _, __, id: media.find("Book", id=id)}
}


def _media_reference(rep, _):
    # `__typename: "Media"` representations: the real type, or None for an unknown id.
    for item in ITEMS:
        if item["id"] == rep["id"]:
            return dict(item)
    return None


media.references = {"Media": _media_reference}

RATINGS = [{"id": "m1", "rating": 5}, {"id": "gone", "rating": 1}, {"id": "b1", "rating": 3}]
ratings = SubgraphData(rows={"Media": RATINGS})
ratings.resolvers = {"Query": {"topRated": lambda *_: RATINGS, "rated": lambda *_: RATINGS}}

SUBGRAPHS = {"media": media, "ratings": ratings}

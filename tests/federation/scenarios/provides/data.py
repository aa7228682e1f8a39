from tests.federation.model import SubgraphData

USERS = [
    {"id": "u1", "username": "ada", "email": "ada@example.com"},
    {"id": "u2", "username": "alan", "email": "alan@example.com"},
]
accounts = SubgraphData(rows={"User": [dict(u) for u in USERS]})
accounts.resolvers = {"Query": {"users": lambda *_: accounts.rows["User"]}}

VENDORS = [
    {"id": "v1", "name": "Woodworks", "country": "SE"},
    {"id": "v2", "name": "Lumen", "country": "DK"},
]
PRODUCTS = [
    {"upc": "p1", "name": "Table", "vendor": VENDORS[0]},
    {"upc": "p2", "name": "Lamp", "vendor": VENDORS[1]},
]
products = SubgraphData(rows={"Product": PRODUCTS, "Vendor": VENDORS})

PHOTOS = [{"__typename": "Photo", "id": "ph1", "url": "https://img/1.jpg", "width": 640}]
VIDEOS = [{"__typename": "Video", "id": "vi1", "url": "https://vid/1.mp4", "seconds": 42}]
media = SubgraphData(rows={"Photo": [dict(p) for p in PHOTOS], "Video": [dict(v) for v in VIDEOS]})


def _author(user_id):
    user = next(u for u in USERS if u["id"] == user_id)
    return {"__typename": "User", "id": user["id"], "username": user["username"]}


def _product(upc):
    p = next(p for p in PRODUCTS if p["upc"] == upc)
    return {
        "__typename": "Product",
        "upc": upc,
        "name": p["name"],
        "vendor": {"__typename": "Vendor", "id": p["vendor"]["id"], "name": p["vendor"]["name"]},
    }


REVIEWS = [
    {
        "id": "r1",
        "body": "Sturdy",
        "author": _author("u1"),
        "product": _product("p1"),
        "media": [dict(PHOTOS[0]), dict(VIDEOS[0])],
        "attachments": [dict(VIDEOS[0])],
    },
    {
        "id": "r2",
        "body": "Bright",
        "author": _author("u2"),
        "product": _product("p2"),
        "media": [],
        "attachments": [dict(PHOTOS[0])],
    },
    {
        "id": "r3",
        "body": "Solid",
        "author": _author("u1"),
        "product": _product("p1"),
        "media": [dict(PHOTOS[0])],
        "attachments": [],
    },
]
reviews = SubgraphData(rows={"Review": REVIEWS})
reviews.resolvers = {
    "Query": {"topReviews": lambda *_: REVIEWS},
    "User": {"reviews": lambda u, _: [r for r in REVIEWS if r["author"]["id"] == u["id"]]},
}
# Users, products, vendors and media are known here only as references.
reviews.references = {t: (lambda rep, _: rep) for t in ("Product", "Vendor", "Photo", "Video")}

SUBGRAPHS = {"accounts": accounts, "products": products, "media": media, "reviews": reviews}

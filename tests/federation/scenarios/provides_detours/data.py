from tests.federation.model import SubgraphData

PHOTOS = [
    {"id": "ph1", "code": "P-1", "url": "https://img/1.jpg", "width": 640},
    {"id": "ph2", "code": "P-2", "url": "https://img/2.jpg", "width": 1280},
]
VIDEOS = [
    {"id": "vi1", "sku": "V-1", "url": "https://vid/1.mp4", "seconds": 42},
    {"id": "vi2", "sku": "V-2", "url": "https://vid/2.mp4", "seconds": 7},
]


def _photo(index: int) -> dict[str, object]:
    photo = PHOTOS[index]
    return {"__typename": "Photo", "id": photo["id"], "url": photo["url"]}


def _video(index: int) -> dict[str, object]:
    video = VIDEOS[index]
    return {"__typename": "Video", "id": video["id"], "url": video["url"], "sku": video["sku"]}


REVIEWS = [
    {
        "id": "r1",
        "body": "Sturdy",
        "media": [_photo(0), _video(0)],
        "attachments": [_video(1), _photo(1)],
        "clip": _video(0),
    },
    {"id": "r2", "body": "Bright", "media": [], "attachments": [_photo(0)], "clip": None},
    {
        "id": "r3",
        "body": "Solid",
        "media": [_video(1), _photo(1), _photo(0)],
        "attachments": [],
        "clip": _video(1),
    },
]
reviews = SubgraphData(rows={"Review": REVIEWS})
reviews.resolvers = {"Query": {"topReviews": lambda *_: REVIEWS}}
# Photos and videos are known here only as references.
reviews.references = {t: (lambda rep, _: rep) for t in ("Photo", "Video")}

media = SubgraphData(
    rows={
        "Photo": [{k: p[k] for k in ("id", "code", "url")} for p in PHOTOS],
        "Video": [{k: v[k] for k in ("id", "sku", "url")} for v in VIDEOS],
    }
)

studio = SubgraphData(
    rows={
        "Photo": [{k: p[k] for k in ("code", "width")} for p in PHOTOS],
        "Video": [{k: v[k] for k in ("sku", "seconds")} for v in VIDEOS],
    }
)

SUBGRAPHS = {"reviews": reviews, "media": media, "studio": studio}

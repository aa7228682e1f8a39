from tests.federation.model import SubgraphData

BOOKS = [{"id": "b1", "title": "Dune"}, {"id": "b2", "title": "Emma"}]
FILMS = [{"id": "f1", "title": "Alien"}]
catalog = SubgraphData(rows={"Book": BOOKS, "Film": FILMS})
catalog.resolvers = {
    "Query": {
        "results": lambda *_: [BOOKS[0], FILMS[0], BOOKS[1]],
        "items": lambda *_: [FILMS[0], BOOKS[0]],
    }
}

SONGS = [{"__typename": "Song", "id": "s1", "name": "Spice"}]
MUSIC_BOOKS = [{"id": "b1", "soundtrack": "Dune OST"}, {"id": "b2", "soundtrack": None}]
music = SubgraphData(rows={"Book": MUSIC_BOOKS})
music.resolvers = {"Query": {"search": lambda *_: [SONGS[0], MUSIC_BOOKS[0], MUSIC_BOOKS[1]]}}

SUBGRAPHS = {"catalog": catalog, "music": music}

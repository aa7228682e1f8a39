from tests.federation.model import SubgraphData

USERS = [
    {"id": "u1", "name": "Ada", "nickname": None},
    {"id": "u2", "name": "Alan", "nickname": "al"},
    {"id": "u3", "name": "Grace", "nickname": None},
]
# Mutations write here only: queries never read these rows, so runs stay repeatable.
SCRATCH_USERS = [{"id": "m1", "name": "Mutable", "nickname": None}]


def set_nickname(_, __, id, nickname):
    user = next(u for u in USERS + SCRATCH_USERS if u["id"] == id)
    user["nickname"] = nickname
    return user


users = SubgraphData(rows={"User": USERS + SCRATCH_USERS})
users.resolvers = {
    "Query": {
        "user": lambda _, __, id: users.find("User", id=id),
        "users": lambda _, __, first: USERS[:first],
    },
    "Mutation": {"setNickname": set_nickname},
    "User": {
        "greeting": lambda u, _, formal: f"Dear {u['name']}" if formal else f"Hi {u['name']}",
    },
}

POSTS = [
    {"id": "p1", "title": "Engines", "author": {"__typename": "User", "id": "u1"}},
    {"id": "p2", "title": "Notes", "author": {"__typename": "User", "id": "u1"}},
    {"id": "p3", "title": "Machines", "author": {"__typename": "User", "id": "u2"}},
    {"id": "p4", "title": "Compilers", "author": {"__typename": "User", "id": "u3"}},
    {"id": "p5", "title": "Bugs", "author": {"__typename": "User", "id": "u3"}},
    {"id": "p6", "title": "COBOL", "author": {"__typename": "User", "id": "u3"}},
]
SCRATCH_POSTS = [{"id": "mp1", "title": "Draft", "author": {"__typename": "User", "id": "m1"}}]


def set_title(_, __, id, title):
    post = next(p for p in POSTS + SCRATCH_POSTS if p["id"] == id)
    post["title"] = title
    return post


posts = SubgraphData(rows={"Post": POSTS + SCRATCH_POSTS})
posts.resolvers = {
    "Query": {"posts": lambda *_: POSTS},
    "Mutation": {"setTitle": set_title},
    "User": {
        "posts": lambda u, _, first: [
            p for p in POSTS + SCRATCH_POSTS if p["author"]["id"] == u["id"]
        ][:first],
    },
}
posts.references = {"User": lambda rep, _: rep}

SUBGRAPHS = {"users": users, "posts": posts}

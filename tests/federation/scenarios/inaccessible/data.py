from tests.federation.model import SubgraphData

USERS = [
    {"id": "1", "legacyId": "L-1", "name": "Ada", "internalCode": "X1", "status": "ACTIVE"},
    {"id": "2", "legacyId": "L-2", "name": "Alan", "internalCode": "X2", "status": "SUSPENDED"},
    {"id": "3", "legacyId": "L-3", "name": "Grace", "internalCode": "X3", "status": "ACTIVE"},
]


def search(_, __, filter):
    found = [u for u in USERS if filter.get("nameContains", "") in u["name"]]
    if filter.get("status"):
        found = [u for u in found if u["status"] == filter["status"]]
    if filter.get("order") == "DESC":
        found = list(reversed(found))
    return found


users = SubgraphData(rows={"User": USERS})
users.resolvers = {
    "Query": {
        "users": lambda *_: USERS,
        "usersByStatus": lambda _, __, status: [u for u in USERS if u["status"] == status],
        "search": search,
    }
}

ADMIN_USERS = [
    {"legacyId": "L-1", "lastLogin": "2024-01-01", "status": "ACTIVE"},
    {"legacyId": "L-2", "lastLogin": None, "status": "SUSPENDED"},
    {"legacyId": "L-3", "lastLogin": "2024-03-03", "status": "ACTIVE"},
]
AUDIT = [
    {"id": "e1", "action": "login", "secret": {"value": "s1"}},
    {"id": "e2", "action": "logout", "secret": None},
]
admin = SubgraphData(rows={"User": ADMIN_USERS})
admin.resolvers = {
    "Query": {
        "auditLog": lambda _, __, order: AUDIT if order == "ASC" else list(reversed(AUDIT)),
        "searchAdmin": lambda _, __, filter: [
            u for u in ADMIN_USERS if not filter.get("status") or u["status"] == filter["status"]
        ],
    }
}

SUBGRAPHS = {"users": users, "admin": admin}

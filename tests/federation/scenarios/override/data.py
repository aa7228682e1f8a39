from tests.federation.model import SubgraphData

# Values differ per subgraph on purpose, so that the answer shows who resolved each field.
legacy = SubgraphData(
    rows={
        "Account": [
            {
                "id": "a1",
                "name": "Ada",
                "balance": 10,
                "plan": "legacy-gold",
                "tier": "legacy-1",
                "currency": "EUR",
            },
            {
                "id": "a2",
                "name": "Bob",
                "balance": 20,
                "plan": "legacy-free",
                "tier": "legacy-2",
                "currency": "USD",
            },
        ]
    }
)
legacy.resolvers = {
    "Query": {
        "account": lambda _, __, id: legacy.find("Account", id=id),
        "accounts": lambda *_: [{"__typename": "Account", "id": "legacy-only"}],
    }
}
billing = SubgraphData(
    rows={
        "Account": [
            {
                "id": "a1",
                "balance": 1000,
                "plan": "billing-gold",
                "tier": "billing-1",
                "invoices": ["INV-1", "INV-2"],
            },
            {
                "id": "a2",
                "balance": 2000,
                "plan": "billing-free",
                "tier": "billing-2",
                "invoices": [],
            },
        ]
    }
)
billing.resolvers = {"Query": {"accounts": lambda *_: billing.rows["Account"]}}

SUBGRAPHS = {"legacy": legacy, "billing": billing}

"""The orders subgraph: `Order` entities and each user's orders, over their own database."""

"""The users subgraph: `User` entities, their queries and mutations, over their own database."""

"""The repositories subgraph: `Repository` entities and each user's repositories."""

"""The audit subgraph: an append-only log of every event the platform publishes."""

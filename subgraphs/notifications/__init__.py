"""The notifications subgraph: what the platform told each user, on which channel, from events."""

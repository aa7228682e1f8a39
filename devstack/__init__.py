"""The local stack: every subgraph and the gateway as processes, started and stopped together.

Used by `make run` (`python -m devstack`) and by the integration tests, so both start the system
the same way.
"""

"""Transport errors.

SubgraphUnavailable     the subgraph gave no usable answer: timeout, refused connection, non-2xx
                        status, a body that is not a GraphQL JSON response, or an open breaker
"""

from __future__ import annotations


class SubgraphUnavailable(Exception):
    """No usable answer from a subgraph; `reason` says why, for the client error message."""

    def __init__(self, subgraph: str, reason: str) -> None:
        super().__init__(f'Subgraph "{subgraph}" is unavailable: {reason}')
        self.subgraph = subgraph
        self.reason = reason

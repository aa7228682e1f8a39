"""Federation 1 and 2 composer: subgraph SDLs in, supergraph SDL out (like @apollo/composition)."""

from .compose import SubgraphInput, SubgraphSource, compose
from .errors import CompositionError, CompositionIssue

__all__ = ["CompositionError", "CompositionIssue", "SubgraphInput", "SubgraphSource", "compose"]

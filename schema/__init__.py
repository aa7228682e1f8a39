"""Schema composition: the subgraph SDLs, the composer and the checked-in supergraph."""

from .compose import CompositionError, CompositionIssue, SubgraphSource, compose

__all__ = ["CompositionError", "CompositionIssue", "SubgraphSource", "compose"]

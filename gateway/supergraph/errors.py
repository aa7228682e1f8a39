"""Errors raised while loading a supergraph (the class lives with the shared supergraph reader).

SupergraphError        the SDL is not a usable supergraph (syntax, missing links, bad join data)
"""

from __future__ import annotations

from common.federation.errors import SupergraphError

__all__ = ["SupergraphError"]

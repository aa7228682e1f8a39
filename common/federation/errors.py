"""Errors raised while reading a supergraph.

SupergraphError        the SDL is not a usable supergraph (syntax, missing links, bad join data)
"""

from __future__ import annotations


class SupergraphError(Exception):
    """The supergraph SDL cannot be used; the message says what is wrong and where."""

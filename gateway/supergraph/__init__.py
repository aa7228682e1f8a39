"""The supergraph: parse a composed supergraph SDL into an immutable model and its API schema."""

from gateway.supergraph.errors import SupergraphError
from gateway.supergraph.fieldset import FieldSet, parse_field_set
from gateway.supergraph.loader import load_supergraph, parse_supergraph
from gateway.supergraph.model import (
    AccessRequirement,
    FieldInfo,
    FieldInGraph,
    Graph,
    Key,
    Supergraph,
    TypeInfo,
    TypeInGraph,
)

__all__ = [
    "AccessRequirement",
    "FieldInGraph",
    "FieldInfo",
    "FieldSet",
    "Graph",
    "Key",
    "Supergraph",
    "SupergraphError",
    "TypeInGraph",
    "TypeInfo",
    "load_supergraph",
    "parse_field_set",
    "parse_supergraph",
]

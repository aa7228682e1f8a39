"""Subgraph URL overrides from the environment: `GATEWAY_SUBGRAPH_<NAME>_URL`.

NAME is the graph name upper-cased with every non-alphanumeric character turned into `_`
(`user-service` -> `GATEWAY_SUBGRAPH_USER_SERVICE_URL`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping


def url_variable(graph: str) -> str:
    """The environment variable that overrides the URL of `graph`."""
    return f"GATEWAY_SUBGRAPH_{re.sub(r'[^A-Za-z0-9]', '_', graph).upper()}_URL"


def url_overrides(graphs: Iterable[str], environ: Mapping[str, str]) -> dict[str, str]:
    """Graph name -> URL for the graphs whose variable is set (and not empty)."""
    return {g: environ[url_variable(g)] for g in graphs if environ.get(url_variable(g))}

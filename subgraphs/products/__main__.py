"""`python -m subgraphs.products [serve|migrate|seed|sdl]`."""

from subgraphs.kit.cli import run
from subgraphs.products.app import SUBGRAPH

raise SystemExit(run(SUBGRAPH))

"""`python -m subgraphs.orders [serve|migrate|seed|sdl]`."""

from subgraphs.kit.cli import run
from subgraphs.orders.app import SUBGRAPH

raise SystemExit(run(SUBGRAPH))

"""`python -m subgraphs.payments [serve|migrate|seed|sdl]`."""

from subgraphs.kit.cli import run
from subgraphs.payments.app import SUBGRAPH

raise SystemExit(run(SUBGRAPH))

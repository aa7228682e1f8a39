"""`python -m subgraphs.audit [serve|migrate|seed|sdl]`."""

from subgraphs.audit.app import SUBGRAPH
from subgraphs.kit.cli import run

raise SystemExit(run(SUBGRAPH))

"""`python -m subgraphs.users [serve|migrate|seed|sdl]`."""

from subgraphs.kit.cli import run
from subgraphs.users.app import SUBGRAPH

raise SystemExit(run(SUBGRAPH))

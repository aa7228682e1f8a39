"""`python -m subgraphs.notifications [serve|migrate|seed|sdl]`."""

from subgraphs.kit.cli import run
from subgraphs.notifications.app import SUBGRAPH

raise SystemExit(run(SUBGRAPH))

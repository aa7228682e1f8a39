"""`python -m subgraphs.repositories [serve|migrate|seed|sdl]`."""

from subgraphs.kit.cli import run
from subgraphs.repositories.app import SUBGRAPH

raise SystemExit(run(SUBGRAPH))

"""Command line: `python -m schema compose [--config ...] [--out ...] [--check]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .compose import CompositionError, compose
from .config import ConfigError, load_config, read_sources

DEFAULT_CONFIG = Path("schema/subgraphs.yaml")
DEFAULT_OUT = Path("schema/supergraph.graphql")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser."""
    parser = argparse.ArgumentParser(prog="python -m schema", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    compose_cmd = commands.add_parser("compose", help="compose the supergraph from the subgraphs")
    compose_cmd.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="subgraph list")
    compose_cmd.add_argument("--out", type=Path, default=DEFAULT_OUT, help="supergraph file")
    compose_cmd.add_argument(
        "--check", action="store_true", help="fail when --out differs from a fresh composition"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        entries = load_config(args.config, _root_for(args.config))
        supergraph = compose(read_sources(entries))
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except CompositionError as error:
        print(f"composition failed with {len(error.issues)} issue(s):", file=sys.stderr)
        for issue in error.issues:
            print(f"{issue.code}: {issue.message}", file=sys.stderr)
        return 1
    if args.check:
        return _check(args.out, supergraph)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(supergraph, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _check(out: Path, supergraph: str) -> int:
    current = out.read_text(encoding="utf-8") if out.exists() else None
    if current == supergraph:
        print(f"{out} is up to date")
        return 0
    reason = "is missing" if current is None else "differs from a fresh composition"
    print(f"{out} {reason}; run `python -m schema compose` and commit it", file=sys.stderr)
    return 1


def _root_for(config: Path) -> Path:
    """SDL paths in the config are relative to the repository root (the config's grandparent)."""
    resolved = config.resolve()
    if resolved.parent.name == "schema":
        return resolved.parent.parent
    return Path.cwd()

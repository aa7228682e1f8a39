"""Command line: `python -m schema compose|check`.

compose [--config C] [--out F] [--check]       write the supergraph (or fail when F is stale)
check [--config C] [--against F] [--format F]  list API schema changes of a fresh composition
api [--supergraph F] [--out F] [--check]       print the API schema clients see (codegen input)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from graphql import print_schema

from common.federation import SupergraphError, api_schema_of

from .check import compare_supergraphs
from .check.report import render_error_json, render_json, render_text, summary
from .compose import CompositionError, compose
from .config import DEFAULT_TIMEOUT, ConfigError, load_config, read_sources

DEFAULT_CONFIG = Path("schema/subgraphs.yaml")
DEFAULT_OUT = Path("schema/supergraph.graphql")

# Exit statuses of `check`.
OK, BREAKING, FAILED = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m schema",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    compose_cmd = commands.add_parser("compose", help="compose the supergraph from the subgraphs")
    _common_options(compose_cmd)
    compose_cmd.add_argument("--out", type=Path, default=DEFAULT_OUT, help="supergraph file")
    compose_cmd.add_argument(
        "--check", action="store_true", help="fail when --out differs from a fresh composition"
    )
    check_cmd = commands.add_parser(
        "check",
        help="compare a fresh composition's API schema with a supergraph's",
        description="Exit status: 0 no breaking change, 1 breaking changes, 2 config or"
        " composition or supergraph error.",
    )
    _common_options(check_cmd)
    check_cmd.add_argument(
        "--against", type=Path, default=DEFAULT_OUT, help="the supergraph to compare with"
    )
    check_cmd.add_argument("--format", choices=("text", "json"), default="text")
    api_cmd = commands.add_parser(
        "api", help="print the API schema of a supergraph (what clients see, no join directives)"
    )
    api_cmd.add_argument("--supergraph", type=Path, default=DEFAULT_OUT, help="supergraph file")
    api_cmd.add_argument("--out", type=Path, help="write it here instead of printing it")
    api_cmd.add_argument(
        "--check", action="store_true", help="fail when --out differs from the supergraph's"
    )
    return parser


def _common_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="subgraph list")
    command.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds to wait for each subgraph asked for its SDL (default %(default)s)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = build_parser().parse_args(argv)
    if args.command == "check":
        return _run_check(args.config, args.against, args.timeout, args.format == "json")
    if args.command == "api":
        return _run_api(args.supergraph, args.out, args.check)
    try:
        supergraph = _compose(args.config, args.timeout)
    except ConfigError as error:
        print(f"error: {error.code}: {error}", file=sys.stderr)
        return 2
    except CompositionError as error:
        _print_composition_error(error)
        return 1
    if args.check:
        return _check_up_to_date(args.out, supergraph)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(supergraph, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _compose(config: Path, timeout: float) -> str:
    entries = load_config(config, _root_for(config))
    return compose(read_sources(entries, timeout))


def _run_check(config: Path, against: Path, timeout: float, as_json: bool) -> int:
    """Compose, compare with `against`; 0 when nothing breaks, 1 when something does, 2 on error."""

    def fail(code: str, message: str, issues: Sequence[dict[str, str]] = ()) -> int:
        if as_json:
            print(render_error_json(code, message, issues), end="")
        else:
            print(f"error: {code}: {message}", file=sys.stderr)
            for issue in issues:
                print(f"{issue['code']}: {issue['message']}", file=sys.stderr)
        return FAILED

    try:
        new_supergraph = _compose(config, timeout)
    except ConfigError as error:
        return fail(error.code, str(error))
    except CompositionError as error:
        issues = [{"code": i.code, "message": i.message} for i in error.issues]
        return fail("COMPOSITION_FAILED", f"composition failed with {len(issues)} issue(s)", issues)
    try:
        old_supergraph = against.read_text(encoding="utf-8")
    except OSError as error:
        return fail("SUPERGRAPH_UNREADABLE", f"cannot read {against}: {error.strerror or error}")
    try:
        changes = compare_supergraphs(old_supergraph, new_supergraph)
    except SupergraphError as error:
        return fail("SUPERGRAPH_INVALID", f"{against} or the new composition: {error}")
    render = render_json if as_json else render_text
    print(render(changes, str(against)), end="")
    return BREAKING if summary(changes)["breaking"] else OK


def api_sdl(supergraph_sdl: str) -> str:
    """The API schema of a supergraph as SDL, ending in a newline."""
    return print_schema(api_schema_of(supergraph_sdl)) + "\n"


def _run_api(supergraph: Path, out: Path | None, check: bool) -> int:
    try:
        sdl = api_sdl(supergraph.read_text(encoding="utf-8"))
    except OSError as error:
        print(f"error: cannot read {supergraph}: {error.strerror or error}", file=sys.stderr)
        return FAILED
    except SupergraphError as error:
        print(f"error: SUPERGRAPH_INVALID: {supergraph}: {error}", file=sys.stderr)
        return FAILED
    if out is None:
        print(sdl, end="")
        return 0
    if check:
        current = out.read_text(encoding="utf-8") if out.exists() else None
        if current == sdl:
            print(f"{out} is up to date")
            return 0
        print(f"{out} is stale against {supergraph}; run `make frontend-types`", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(sdl, encoding="utf-8")
    print(f"wrote {out}")
    return 0


def _print_composition_error(error: CompositionError) -> None:
    print(f"composition failed with {len(error.issues)} issue(s):", file=sys.stderr)
    for issue in error.issues:
        print(f"{issue.code}: {issue.message}", file=sys.stderr)


def _check_up_to_date(out: Path, supergraph: str) -> int:
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

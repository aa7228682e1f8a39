"""Files generated from the stack's description (Grafana dashboards, Kubernetes manifests):
write them, or check that the files on disk are what the generator writes."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path


def write_or_check(
    folder: Path,
    generate: Callable[[], Mapping[str, str]],
    description: str,
    remedy: str,
    *,
    hand_written: frozenset[str] = frozenset(),
) -> int:
    """The command line of a generator: writes `generate()` (relative path -> text) under
    `folder`, removing files of the same suffix it no longer writes (except `hand_written`
    ones); with `--check`, exits 1 naming the stale files instead. Returns the exit code."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="fail when a file is stale")
    args = parser.parse_args()
    wanted = generate()
    suffixes = {Path(name).suffix for name in wanted}
    extra = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.suffix in suffixes
        and path.relative_to(folder).as_posix() not in {*wanted, *hand_written}
    )
    stale = sorted(
        name
        for name, text in wanted.items()
        if not (folder / name).exists() or (folder / name).read_text() != text
    )
    if args.check:
        if stale or extra:
            print(f"stale: {stale + extra}; run `{remedy}`", file=sys.stderr)
            return 1
        return 0
    for name in extra:
        (folder / name).unlink()
    for name, text in wanted.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return 0

"""The supergraph file, watched: has it changed since it was last read, and what does it hold now.

A change is seen through the file's signature (modification time in nanoseconds, size, inode),
then confirmed by the sha256 of its content, so touching a file or writing the same content again
does not reload. Replace the file atomically (write a temporary file, then rename it).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gateway.supergraph import Supergraph, SupergraphError, parse_supergraph

Signature = tuple[int, int, int]


@dataclass(frozen=True)
class SupergraphVersion:
    """A supergraph read from the file and the sha256 of the SDL it was parsed from."""

    supergraph: Supergraph
    sha256: str


@dataclass(frozen=True)
class Refused:
    """The file could not be used this time; `reason` says why."""

    reason: str
    sha256: str | None = None


class SupergraphSource(Protocol):
    """Where supergraphs come from: a watched file, or (dev mode) the subgraphs themselves."""

    @property
    def path(self) -> object:
        """What to name the source by in logs."""
        ...

    def read_if_changed(self) -> SupergraphVersion | Refused | None:
        """A new usable supergraph, a refusal saying why, or None when nothing changed."""
        ...


def sdl_hash(sdl: bytes) -> str:
    """The schema hash shown by `/health`: sha256 of the SDL bytes, hex."""
    return hashlib.sha256(sdl).hexdigest()


class SupergraphFile:
    """Reads the supergraph at `path` when, and only when, it has changed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._signature: Signature | None = None
        #: hash of the content last read, usable or not
        self._seen: str | None = None

    def read_if_changed(self) -> SupergraphVersion | Refused | None:
        """None when unchanged since the last call; else the new supergraph, or why not."""
        try:
            stat = os.stat(self.path)
        except OSError as exc:
            if self._signature == _MISSING:
                return None
            self._signature, self._seen = _MISSING, None
            return Refused(f"cannot read supergraph {self.path}: {exc.strerror or exc}")
        signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if signature == self._signature:
            return None
        try:
            sdl = self.path.read_bytes()
        except OSError as exc:
            return Refused(f"cannot read supergraph {self.path}: {exc.strerror or exc}")
        self._signature = signature
        digest = sdl_hash(sdl)
        if digest == self._seen:
            return None
        self._seen = digest
        try:
            text = sdl.decode("utf-8")
        except UnicodeDecodeError:
            return Refused(f"{self.path}: the supergraph is not UTF-8 text", digest)
        try:
            return SupergraphVersion(parse_supergraph(text), digest)
        except SupergraphError as exc:
            return Refused(f"{self.path}: {exc}", digest)


#: the signature recorded while the file is missing (no real file has it)
_MISSING: Signature = (-1, -1, -1)

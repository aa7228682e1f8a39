"""Development mode: the supergraph composed from running subgraphs, re-composed when they change.

`python -m gateway --subgraphs users=http://127.0.0.1:8081/graphql,orders=...` asks each subgraph
for `_service { sdl }` at start and on every poll; when some SDL changed, it composes anew with
the project's composer. A fetch or composition failure is refused (logged once per distinct
reason) and the last good supergraph keeps serving.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gateway.app.reload import Refused, SupergraphVersion, sdl_hash
from gateway.supergraph import SupergraphError, parse_supergraph
from schema.compose import CompositionError, SubgraphSource, compose
from schema.config import SdlFetchError, fetch_sdl

#: Reads one subgraph's SDL (name, url, timeout); `fetch_sdl` over HTTP unless a test injects one.
SdlReader = Callable[[str, str, float], str]


@dataclass(frozen=True)
class SubgraphAddress:
    """A subgraph of the dev-mode graph: its name in the supergraph and its GraphQL URL."""

    name: str
    url: str


def parse_subgraph_list(text: str) -> list[SubgraphAddress]:
    """`users=http://...,orders=http://...` -> addresses; `ValueError` saying what is wrong."""
    addresses: list[SubgraphAddress] = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, url = item.partition("=")
        if not sep or not name.strip() or not url.strip().startswith(("http://", "https://")):
            raise ValueError(f"expected NAME=http(s)://URL, got {item!r}")
        addresses.append(SubgraphAddress(name.strip(), url.strip()))
    if not addresses:
        raise ValueError("no subgraphs given: expected NAME=URL[,NAME=URL...]")
    names = [a.name for a in addresses]
    if len(set(names)) != len(names):
        raise ValueError(f"a subgraph is named twice in {', '.join(names)}")
    return addresses


class ComposedSupergraph:
    """A supergraph source (like `SupergraphFile`) that composes the subgraphs' own SDL."""

    def __init__(
        self,
        subgraphs: Sequence[SubgraphAddress],
        *,
        timeout: float = 5.0,
        read_sdl: SdlReader = fetch_sdl,
    ) -> None:
        self.subgraphs = tuple(subgraphs)
        self.timeout = timeout
        self.read_sdl = read_sdl
        #: shown in logs where a file source shows its path
        self.path = "subgraphs " + ", ".join(f"{s.name}={s.url}" for s in self.subgraphs)
        self._sdls: tuple[str, ...] | None = None
        self._last_refusal: str | None = None

    def read_if_changed(self) -> SupergraphVersion | Refused | None:
        """Fetch every SDL; compose when one changed; None when nothing changed (or same error)."""
        try:
            sdls = tuple(self.read_sdl(s.name, s.url, self.timeout) for s in self.subgraphs)
        except SdlFetchError as exc:
            return self._refuse(str(exc))
        if sdls == self._sdls:
            return None
        try:
            sdl = compose(
                [
                    SubgraphSource(s.name, s.url, text)
                    for s, text in zip(self.subgraphs, sdls, strict=True)
                ]
            )
            supergraph = parse_supergraph(sdl)
        except CompositionError as exc:
            issues = "; ".join(f"{i.code}: {i.message}" for i in exc.issues)
            return self._refuse(f"composition failed: {issues}")
        except SupergraphError as exc:
            return self._refuse(f"the composed supergraph is not usable: {exc}")
        self._sdls = sdls
        self._last_refusal = None
        return SupergraphVersion(supergraph, sdl_hash(sdl.encode()))

    def _refuse(self, reason: str) -> Refused | None:
        # Polling repeats a failure every few seconds: report each distinct one once.
        if reason == self._last_refusal:
            return None
        self._last_refusal = reason
        return Refused(reason)

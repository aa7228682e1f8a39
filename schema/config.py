"""Read `schema/subgraphs.yaml` and gather each subgraph's SDL (from a file or over HTTP)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from .compose import SubgraphSource

SDL_QUERY = "{ _service { sdl } }"


class ConfigError(Exception):
    """The config file is missing, malformed, or names SDL that cannot be read."""


@dataclass(frozen=True)
class SubgraphEntry:
    """One `subgraphs:` entry: name, routing URL and optional SDL path (relative to the root)."""

    name: str
    url: str
    sdl: Path | None


def load_config(path: Path, root: Path) -> list[SubgraphEntry]:
    """Parse the config file; SDL paths are resolved against `root`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"cannot read {path}: {error}") from error
    entries = data.get("subgraphs") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: expected a non-empty `subgraphs:` list")
    result = []
    for item in entries:
        if not isinstance(item, dict) or not item.get("name") or not item.get("url"):
            raise ConfigError(f"{path}: every subgraph needs `name` and `url`, got {item!r}")
        sdl = item.get("sdl")
        result.append(
            SubgraphEntry(str(item["name"]), str(item["url"]), root / sdl if sdl else None)
        )
    return result


def read_sources(entries: list[SubgraphEntry], timeout: float = 10.0) -> list[SubgraphSource]:
    """Each subgraph's SDL: read from its file, or asked from its URL with `_service { sdl }`."""
    return [SubgraphSource(e.name, e.url, _sdl(e, timeout)) for e in entries]


def _sdl(entry: SubgraphEntry, timeout: float) -> str:
    if entry.sdl is not None:
        try:
            return entry.sdl.read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"subgraph {entry.name}: cannot read {entry.sdl}: {error}") from error
    return fetch_sdl(entry.name, entry.url, timeout)


def fetch_sdl(name: str, url: str, timeout: float = 10.0) -> str:
    """Ask a running subgraph for its SDL."""
    try:
        response = httpx.post(url, json={"query": SDL_QUERY}, timeout=timeout)
        response.raise_for_status()
        sdl = response.json()["data"]["_service"]["sdl"]
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
        raise ConfigError(f"subgraph {name}: cannot fetch SDL from {url}: {error}") from error
    if not isinstance(sdl, str):
        raise ConfigError(f"subgraph {name}: {url} returned no SDL")
    return sdl

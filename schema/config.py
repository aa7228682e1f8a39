"""Read `schema/subgraphs.yaml` and gather each subgraph's SDL (from a file or over HTTP).

Errors:

    ConfigError         CONFIG_INVALID: the file is missing or malformed, an SDL file unreadable
     +-- SdlFetchError  SDL_FETCH_FAILED: a running subgraph did not give its SDL
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import yaml

from .compose import SubgraphSource

SDL_QUERY = "{ _service { sdl } }"
DEFAULT_TIMEOUT = 10.0
ENTRY_KEYS = ("name", "url", "sdl")


class ConfigError(Exception):
    """The config file is missing, malformed, or names SDL that cannot be read."""

    code = "CONFIG_INVALID"


class SdlFetchError(ConfigError):
    """A subgraph without an `sdl:` file did not answer `{ _service { sdl } }` with its SDL."""

    code = "SDL_FETCH_FAILED"


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
    result: list[SubgraphEntry] = []
    for item in entries:
        entry = _entry(path, item, root)
        if any(e.name == entry.name for e in result):
            raise ConfigError(
                f"{path}: subgraph {entry.name} is listed twice; names must be unique"
            )
        result.append(entry)
    return result


def _entry(path: Path, item: Any, root: Path) -> SubgraphEntry:
    if not isinstance(item, dict) or not item.get("name") or not item.get("url"):
        raise ConfigError(f"{path}: every subgraph needs `name` and `url`, got {item!r}")
    unknown = sorted(str(key) for key in item if key not in ENTRY_KEYS)
    if unknown:
        # A misspelt `sdl:` would otherwise silently turn into an HTTP fetch.
        raise ConfigError(
            f"{path}: subgraph {item['name']}: unknown key(s) {', '.join(unknown)};"
            f" expected {', '.join(ENTRY_KEYS)}"
        )
    sdl = item.get("sdl")
    return SubgraphEntry(str(item["name"]), str(item["url"]), root / str(sdl) if sdl else None)


def read_sources(
    entries: list[SubgraphEntry], timeout: float = DEFAULT_TIMEOUT
) -> list[SubgraphSource]:
    """Each subgraph's SDL: read from its file, or asked from its URL with `_service { sdl }`."""
    return [SubgraphSource(e.name, e.url, _sdl(e, timeout)) for e in entries]


def _sdl(entry: SubgraphEntry, timeout: float) -> str:
    if entry.sdl is not None:
        try:
            return entry.sdl.read_text(encoding="utf-8")
        except OSError as error:
            raise ConfigError(f"subgraph {entry.name}: cannot read {entry.sdl}: {error}") from error
    return fetch_sdl(entry.name, entry.url, timeout)


def fetch_sdl(name: str, url: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Ask a running subgraph for its SDL; `SdlFetchError` names the subgraph, the URL and why."""
    failed = f"subgraph {name}: cannot fetch SDL from {url}"
    try:
        response = httpx.post(
            url,
            json={"query": SDL_QUERY},
            headers={"Accept": "application/json"},
            timeout=timeout,
        )
    except httpx.TimeoutException:
        raise SdlFetchError(
            f"{failed}: no answer within {timeout:g}s; is the subgraph running and healthy?"
        ) from None
    except httpx.ConnectError as error:
        raise SdlFetchError(
            f"{failed}: cannot connect ({error}); start the subgraph or give its `sdl:` file"
        ) from None
    except (httpx.HTTPError, httpx.InvalidURL) as error:  # InvalidURL is no HTTPError
        raise SdlFetchError(f"{failed}: {type(error).__name__}: {error}") from None
    if response.status_code != 200:
        raise SdlFetchError(
            f"{failed}: HTTP {response.status_code} {response.reason_phrase}"
            f"{_excerpt(response.text)}"
        )
    try:
        payload = response.json()
    except ValueError:
        raise SdlFetchError(f"{failed}: the answer is not JSON{_excerpt(response.text)}") from None
    return _sdl_of(payload, failed)


def _sdl_of(payload: Any, failed: str) -> str:
    """The SDL in a `{ _service { sdl } }` response, or `SdlFetchError` saying what is wrong."""
    if not isinstance(payload, dict):
        raise SdlFetchError(f"{failed}: the answer is not a GraphQL response{_excerpt(payload)}")
    errors = payload.get("errors")
    if errors:
        messages = [e.get("message", e) if isinstance(e, dict) else e for e in errors]
        raise SdlFetchError(
            f"{failed}: the subgraph answered with errors: {'; '.join(map(str, messages))}"
        )
    data = payload.get("data")
    service = data.get("_service") if isinstance(data, dict) else None
    if not isinstance(service, dict):
        raise SdlFetchError(
            f"{failed}: the answer has no `_service` field; is this a federation subgraph?"
        )
    sdl = service.get("sdl")
    if not isinstance(sdl, str) or not sdl.strip():
        raise SdlFetchError(f"{failed}: `_service.sdl` is empty or not a string")
    return sdl


def _excerpt(body: object, limit: int = 200) -> str:
    text = " ".join(str(body).split())
    if not text:
        return ""
    return f": {text[:limit]}{'...' if len(text) > limit else ''}"

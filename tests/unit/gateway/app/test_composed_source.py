"""Dev mode's supergraph source: composed from the subgraphs' SDL, re-composed on change only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gateway.app.composed import ComposedSupergraph, SubgraphAddress, parse_subgraph_list
from gateway.app.reload import Refused, SupergraphVersion
from schema.config import SdlFetchError

ROOT = Path(__file__).resolve().parents[4]
URLS = {"users": "http://127.0.0.1:8081/graphql", "orders": "http://127.0.0.1:8082/graphql"}


class Subgraphs:
    """What each subgraph answers to `_service { sdl }` right now (changed by the tests)."""

    def __init__(self) -> None:
        self.sdl = {name: (ROOT / f"schema/subgraphs/{name}.graphql").read_text() for name in URLS}
        self.down: set[str] = set()

    def read(self, name: str, url: str, timeout: float) -> str:
        assert url == URLS[name]
        if name in self.down:
            raise SdlFetchError(f"subgraph {name} at {url}: connection refused")
        return self.sdl[name]


def source(subgraphs: Subgraphs) -> ComposedSupergraph:
    addresses = [SubgraphAddress(name, url) for name, url in URLS.items()]
    return ComposedSupergraph(addresses, read_sdl=subgraphs.read)


def test_composes_what_make_compose_composes_then_waits_for_a_change() -> None:
    subgraphs = Subgraphs()
    watched = source(subgraphs)
    first = watched.read_if_changed()
    assert isinstance(first, SupergraphVersion)
    # Only users and orders here, so compare the API, not the whole checked-in file.
    assert "orders(" in first.supergraph.api_sdl and "user(id: ID!)" in first.supergraph.api_sdl
    assert watched.read_if_changed() is None, "same SDL: nothing to do"

    user_type = 'type User @key(fields: "id") {\n'
    subgraphs.sdl["users"] = subgraphs.sdl["users"].replace(
        user_type, user_type + "  nickname: String\n", 1
    )
    second = watched.read_if_changed()
    assert isinstance(second, SupergraphVersion)
    assert "nickname: String" in second.supergraph.api_sdl
    assert second.sha256 != first.sha256


def test_a_composition_error_is_refused_once_and_the_next_good_sdl_composes() -> None:
    subgraphs = Subgraphs()
    watched = source(subgraphs)
    assert isinstance(watched.read_if_changed(), SupergraphVersion)
    good = subgraphs.sdl["orders"]
    # PageInfo.page is Int! in users: a String! here cannot be merged.
    subgraphs.sdl["orders"] = good.replace(
        "type PageInfo @shareable {\n  page: Int!", "type PageInfo @shareable {\n  page: String!", 1
    )
    assert subgraphs.sdl["orders"] != good
    refused = watched.read_if_changed()
    assert isinstance(refused, Refused)
    assert refused.reason.startswith("composition failed: ")
    assert "PageInfo.page" in refused.reason
    assert watched.read_if_changed() is None, "the same failure is reported once"
    subgraphs.sdl["orders"] = good + "\n"
    assert isinstance(watched.read_if_changed(), SupergraphVersion)


def test_an_unreachable_subgraph_is_refused_naming_it() -> None:
    subgraphs = Subgraphs()
    subgraphs.down.add("orders")
    refused = source(subgraphs).read_if_changed()
    assert isinstance(refused, Refused)
    assert "subgraph orders at http://127.0.0.1:8082/graphql" in refused.reason


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no subgraphs given"),
        ("users", "expected NAME=http(s)://URL"),
        ("users=ftp://x", "expected NAME=http(s)://URL"),
        ("a=http://x,a=http://y", "named twice"),
    ],
)
def test_subgraph_lists_are_checked(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_subgraph_list(text)


def test_subgraph_list_parses() -> None:
    assert parse_subgraph_list(" users=http://a/graphql , orders=https://b/graphql ") == [
        SubgraphAddress("users", "http://a/graphql"),
        SubgraphAddress("orders", "https://b/graphql"),
    ]

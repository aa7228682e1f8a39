"""Fixture supergraphs of every join version, Federation 1 included, and `@link` renames."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.supergraph import Supergraph, SupergraphError, load_supergraph, parse_supergraph
from gateway.supergraph.loader import SUPPORTED_FEATURES

FIXTURES = Path(__file__).parent / "fixtures"
CONTEXT = "https://specs.apollo.dev/context/v0.1"
CONNECT = "https://specs.apollo.dev/connect/v0.3"


def fixture(name: str, *extra: str) -> Supergraph:
    sdl = (FIXTURES / f"{name}.graphql").read_text()
    return parse_supergraph(sdl, supported_features=SUPPORTED_FEATURES | set(extra))


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("join_v01", "v0.1"),
        ("join_v02", "v0.2"),
        ("fed1", "v0.3"),
        ("join_v03", "v0.3"),
        ("link_renames", "v0.3"),
        ("join_v04", "v0.4"),
    ],
)
def test_every_fixture_loads_with_its_join_version(name: str, version: str) -> None:
    supergraph = fixture(name)
    assert supergraph.join_version == version
    api = supergraph.api_sdl
    assert not any(word in api for word in ("join__", "link__", "core__", "@inaccessible", "fed__"))


def test_join_v01_owner_and_key_fields() -> None:
    supergraph = fixture("join_v01")
    assert list(supergraph.graphs) == ["accounts", "inventory", "products", "reviews"]
    assert supergraph.field("Product", "name").resolved_by == {"products"}  # type: ignore[union-attr]
    assert supergraph.field("Product", "inStock").resolved_by == {"inventory"}  # type: ignore[union-attr]
    # every graph with a key can resolve its key fields from the representation
    upc = supergraph.field("Product", "upc")
    assert upc is not None and upc.resolved_by == {"products", "inventory", "reviews"}
    requires = supergraph.field("Product", "shippingEstimate").join_in("inventory")  # type: ignore[union-attr]
    assert requires is not None and str(requires.requires) == "price weight"
    assert "internalCost" not in supergraph.api_sdl and "inStock" in supergraph.api_sdl


def test_federation_1_subgraphs_composed_by_apollo() -> None:
    supergraph = fixture("fed1")
    username = supergraph.field("User", "username")
    assert username is not None and username.resolved_by == {"accounts"}
    author = supergraph.field("Review", "author").join_in("reviews")  # type: ignore[union-attr]
    assert author is not None and str(author.provides) == "username"


def test_join_v04_override_label() -> None:
    price = fixture("join_v04").field("Product", "price")
    assert price is not None
    moved = price.join_in("pricing")
    assert moved is not None and (moved.override, moved.override_label) == (
        "inventory",
        "percent(25)",
    )


def test_join_v05_context_arguments_and_join_directive() -> None:
    supergraph = fixture("join_v05", CONTEXT, CONNECT)
    assert supergraph.join_version == "v0.5"
    price = supergraph.field("Product", "price").join_in("catalog")  # type: ignore[union-attr]
    assert price is not None
    ((argument),) = price.context_arguments
    assert (argument.name, argument.type, argument.context) == (
        "currency",
        "String",
        "catalog__store",
    )
    assert (
        "@connect" not in supergraph.api_sdl and "join__ContextArgument" not in supergraph.api_sdl
    )


def test_unsupported_execution_or_security_features_are_refused() -> None:
    with pytest.raises(SupergraphError, match=r"context/v0.1 is for: SECURITY but this gateway"):
        load_supergraph(FIXTURES / "join_v05.graphql")


def test_link_renames_and_imports() -> None:
    supergraph = fixture("link_renames")
    original = fixture("join_v03")
    assert supergraph.api_sdl == original.api_sdl
    for type_name, info in original.types.items():
        renamed = supergraph.types[type_name.replace("join__", "fed__")]
        assert {n: f.resolved_by for n, f in renamed.fields.items()} == {
            n: f.resolved_by for n, f in info.fields.items()
        }
    buyer = supergraph.field("Order", "buyer").join_in("orders")  # type: ignore[union-attr]
    assert buyer is not None and str(buyer.provides) == "name"
    assert supergraph.field("User", "passwordHash") is not None
    assert "passwordHash" not in supergraph.api_sdl  # `@hidden` is `@inaccessible` renamed
    node = supergraph.type("Node")
    assert node.graphs["orders"].is_interface_object

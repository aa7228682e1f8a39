"""Composing @authenticated, @requiresScopes and @policy as @apollo/composition 2.14 does."""

from __future__ import annotations

from typing import Any

import pytest

from schema.compose import compose
from schema.compose.access_control import dnf_conjunction

from .cases import ACCESS_VALID, auth, sources
from .conftest import NodeReference


def _element(sdl: str, header: str) -> str:
    """The printed definition that starts with `header` (up to the blank line after it)."""
    start = sdl.index(header + "\n")
    end = sdl.find("\n\n", start)
    return sdl[start : end if end >= 0 else len(sdl)]


def test_the_supergraph_links_each_security_spec_it_uses() -> None:
    sdl = compose(ACCESS_VALID["access_fields_and_types"])
    assert (
        '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)\n'
        '  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)\n'
        '  @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)\n'
    ) in sdl
    assert "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on" in sdl
    assert "\nscalar policy__Policy\n" in sdl
    assert (
        '  email: String @join__field(graph: ACCOUNTS) @requiresScopes(scopes: [["read:email", '
        '"read:users"]])'
    ) in sdl
    assert "  me: User @join__field(graph: ACCOUNTS) @authenticated" in sdl


def test_requirements_of_several_subgraphs_are_all_required() -> None:
    sdl = compose(ACCESS_VALID["access_merged_across_subgraphs"])
    # ((a and b) or c) and (d or e) and (a and c): multiplied out, the subsumed terms dropped,
    # the access-control directives first, in link order.
    assert (
        '  shared: Item @authenticated @requiresScopes(scopes: [["a", "c", "d"], ["a", "c", '
        '"e"]]) @tag(name: "x")'
    ) in sdl
    item = _element(sdl, "type Item")
    assert (
        '@requiresScopes(scopes: [["c", "d"], ["c", "e"], ["a", "b", "d"], ["a", "b", "e"]])'
        in item
    )
    assert '@policy(policies: [["p"]])' in item  # p, and (q or p): just p
    color = _element(sdl, "enum Color")
    assert "@authenticated" in color and '@requiresScopes(scopes: [["c1"]])' in color


def test_an_interface_requires_what_its_implementations_require() -> None:
    sdl = compose(ACCESS_VALID["access_interfaces_from_implementations"])
    node = _element(sdl, "interface Node")
    assert '@authenticated\n  @requiresScopes(scopes: [["x", "y"]])' in node
    assert 'f: String @policy(policies: [["pa", "pb"], ["pa", "pc"]])' in node


def test_fields_an_interface_object_adds_keep_their_requirements_on_implementations() -> None:
    sdl = compose(ACCESS_VALID["access_interface_object"])
    for type_name in ("type A implements Node", "type B implements Node"):
        assert 'secret: String @requiresScopes(scopes: [["s"]]) @join__field' in _element(
            sdl, type_name
        )


def test_renamed_imports_are_kept_in_the_supergraph() -> None:
    sdl = compose(ACCESS_VALID["access_renamed_imports"])
    assert (
        '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY, import: '
        '[{name: "@authenticated", as: "@auth"}])'
    ) in sdl
    assert "directive @auth on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM" in sdl
    assert '  c: Int @join__field(graph: A) @federation__policy(policies: [["p"]])' in sdl


def test_without_access_control_nothing_is_linked() -> None:
    sdl = compose(sources(("a", auth() + "type Query { a: Int }")))
    assert "SECURITY" not in sdl.split("{", 1)[0]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([[["a"]]], [["a"]]),
        ([[["b", "a"]], [["a", "b"]]], [["a", "b"]]),
        ([[["read:admin"]], [["read:profile", "read:users"], ["read:admin"]]], [["read:admin"]]),
        ([[["a"], ["b"]], [["c"]]], [["a", "c"], ["b", "c"]]),
        ([[], [["x"]]], [["x"]]),
    ],
)
def test_dnf_conjunction(values: list[list[list[str]]], expected: list[list[str]]) -> None:
    assert dnf_conjunction(values) == expected


@pytest.fixture(scope="module")
def reference(node_reference: NodeReference) -> dict[str, dict[str, Any]]:
    return node_reference.compose_many(ACCESS_VALID)


@pytest.mark.node
@pytest.mark.parametrize("name", sorted(ACCESS_VALID))
def test_byte_identical_to_apollo_composition(
    reference: dict[str, dict[str, Any]], name: str
) -> None:
    assert compose(ACCESS_VALID[name]) == reference[name]["supergraphSdl"]

"""Reading @authenticated, @requiresScopes and @policy from a supergraph into the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.supergraph import (
    AccessRequirement,
    Supergraph,
    SupergraphError,
    load_supergraph,
    parse_supergraph,
)

FIXTURE = Path(__file__).parent / "fixtures" / "authorization.graphql"
LINK = '@link(url: "https://specs.apollo.dev/link/v1.0")'
JOIN = '@link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)'


def minimal(links: str, body: str) -> str:
    return f"""
    schema {LINK} {JOIN} {links} {{ query: Query }}
    enum join__Graph {{ A @join__graph(name: "a", url: "http://a") }}
    {body}
    """


@pytest.fixture(scope="module")
def composed() -> Supergraph:
    return load_supergraph(FIXTURE)


def test_requirements_are_read_per_type_and_per_field(composed: Supergraph) -> None:
    assert composed.has_access_requirements
    # `@authenticated` is imported as `@signedIn` in the subgraphs and so in the supergraph.
    assert composed.field("Query", "me").access == AccessRequirement(authenticated=True)  # type: ignore[union-attr]
    assert composed.field("Query", "users").access == AccessRequirement(  # type: ignore[union-attr]
        scopes=(frozenset({"read:users"}), frozenset({"admin"}))
    )
    assert composed.field("User", "ssn").access == AccessRequirement(  # type: ignore[union-attr]
        policies=(frozenset({"read_pii"}),)
    )
    assert composed.type("AuditTrail").access == AccessRequirement(
        policies=(frozenset({"read_audit"}),)
    )
    assert composed.type("Money").access == AccessRequirement(scopes=(frozenset({"billing"}),))
    assert composed.type("Tier").access == AccessRequirement(authenticated=True)
    assert composed.field("User", "name").access is None  # type: ignore[union-attr]
    assert composed.type("User").access is None


def test_an_interface_carries_what_composition_merged_from_its_implementations(
    composed: Supergraph,
) -> None:
    assert composed.type("Node").access == AccessRequirement(authenticated=True)


def test_the_api_schema_shows_no_access_control_element(composed: Supergraph) -> None:
    for name in ("signedIn", "requiresScopes", "policy", "Scope", "Policy"):
        assert name not in composed.api_sdl


def test_a_supergraph_without_the_specs_has_no_requirements(users_orders: Supergraph) -> None:
    assert not users_orders.has_access_requirements
    assert all(t.access is None for t in users_orders.types.values())


def test_a_spec_linked_under_another_name_is_read_under_that_name() -> None:
    sdl = minimal(
        '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", '
        "for: SECURITY) "
        '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY, '
        'import: [{name: "@authenticated", as: "@loggedIn"}])',
        """
        scalar scopes__Scope
        directive @scopes(scopes: [[scopes__Scope!]!]!) on FIELD_DEFINITION | OBJECT
        directive @loggedIn on FIELD_DEFINITION | OBJECT
        type Query @join__type(graph: A) {
          a: Int @scopes(scopes: "one")
          b: Int @scopes(scopes: [["x", "y"], "z"])
          c: Int @loggedIn
          d: Int @authenticated
        }
        """,
    )
    supergraph = parse_supergraph(sdl)
    field = supergraph.field
    assert field("Query", "a").access == AccessRequirement(scopes=(frozenset({"one"}),))  # type: ignore[union-attr]
    assert field("Query", "b").access == AccessRequirement(  # type: ignore[union-attr]
        scopes=(frozenset({"x", "y"}), frozenset({"z"}))
    )
    assert field("Query", "c").access == AccessRequirement(authenticated=True)  # type: ignore[union-attr]
    # Only the linked name counts: a directive of the same name from elsewhere is not the spec's.
    assert field("Query", "d").access is None  # type: ignore[union-attr]


def test_an_unknown_version_of_a_security_spec_is_refused() -> None:
    sdl = minimal(
        '@link(url: "https://specs.apollo.dev/requiresScopes/v0.2", for: SECURITY)',
        "type Query @join__type(graph: A) { a: Int }",
    )
    with pytest.raises(SupergraphError, match=r"requiresScopes/v0.2 is for: SECURITY"):
        parse_supergraph(sdl)


def test_an_application_without_its_argument_is_refused() -> None:
    sdl = minimal(
        '@link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
        "type Query @join__type(graph: A) { a: Int @policy }",
    )
    with pytest.raises(SupergraphError, match=r"@policy on Query.a has no policies: argument"):
        parse_supergraph(sdl)

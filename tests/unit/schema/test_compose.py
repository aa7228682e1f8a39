"""Composer output on fixture subgraphs."""

from __future__ import annotations

import pytest

from schema.compose import CompositionError, SubgraphSource, compose

from .cases import (
    FIXTURES,
    REPO,
    VALID,
    fed,
    fixture_subgraphs,
    project_subgraphs,
    recorded_cases,
    sources,
)


def test_fixture_supergraph_matches_the_reference_output() -> None:
    expected = (FIXTURES / "supergraph.graphql").read_text()
    assert compose(fixture_subgraphs()) == expected


def test_checked_in_supergraph_is_current() -> None:
    expected = (REPO / "schema" / "supergraph.graphql").read_text()
    assert compose(project_subgraphs()) == expected


def test_input_order_does_not_matter() -> None:
    assert compose(list(reversed(fixture_subgraphs()))) == compose(fixture_subgraphs())


def test_tuples_are_accepted() -> None:
    subgraphs = [(s.name, s.url, s.sdl) for s in fixture_subgraphs()]
    assert compose(subgraphs) == compose(fixture_subgraphs())


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_cases_compose(name: str) -> None:
    assert compose(VALID[name]).startswith("schema\n  @link(")


def test_header_links_and_graph_enum() -> None:
    out = compose(fixture_subgraphs())
    assert out.startswith(
        "schema\n"
        '  @link(url: "https://specs.apollo.dev/link/v1.0")\n'
        '  @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)\n'
        '  @link(url: "https://specs.apollo.dev/tag/v0.3")\n'
        '  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)\n'
        "{\n  query: Query\n  mutation: Mutation\n}\n"
    )
    assert (
        "enum join__Graph {\n"
        '  ORDERS @join__graph(name: "orders", url: "http://127.0.0.1:8082/graphql")\n'
        '  USERS @join__graph(name: "users", url: "http://127.0.0.1:8081/graphql")\n'
        "}"
    ) in out
    for stripped in (
        "_Service",
        "_Entity",
        "_Any",
        "_entities",
        "scalar FieldSet",
        "@key",
        "@shareable",
    ):
        assert stripped not in out


@pytest.mark.parametrize(
    ("version", "join"), [("2.0", "0.3"), ("2.5", "0.3"), ("2.7", "0.4"), ("2.11", "0.5")]
)
def test_join_version_follows_the_federation_version(version: str, join: str) -> None:
    out = compose(sources(("a", fed(version) + "type Query { a: Int }")))
    assert f'@link(url: "https://specs.apollo.dev/join/v{join}", for: EXECUTION)' in out
    assert ("overrideLabel: String" in out) == (join != "0.3")


def test_graph_enum_names_are_sanitised() -> None:
    out = compose(VALID["graph_names"])
    assert '_2FAST @join__graph(name: "2fast"' in out
    assert 'INVENTORY_V2 @join__graph(name: "inventory-v2"' in out
    assert 'SVC_1_ @join__graph(name: "svc_1"' in out


def test_compound_and_unresolvable_keys() -> None:
    out = compose(VALID["compound_and_unresolvable_keys"])
    assert (
        "type Product\n"
        '  @join__type(graph: CATALOG, key: "sku")\n'
        '  @join__type(graph: CATALOG, key: "sku vendor { id }")\n{'
    ) in out
    assert (
        "type Vendor\n"
        '  @join__type(graph: CATALOG, key: "id", resolvable: false)\n'
        '  @join__type(graph: VENDORS, key: "id")\n'
        "{\n  id: ID!\n  name: String! @join__field(graph: VENDORS)\n}"
    ) in out


def test_shareable_value_types_have_no_join_field() -> None:
    out = compose(VALID["shareable_value_types"])
    assert (
        "type Page\n  @join__type(graph: A)\n  @join__type(graph: B)\n"
        "{\n  size: Int!\n  cursor: String\n}"
    ) in out
    assert "type Price\n  @join__type(graph: A)\n{\n  value: Money!\n}" in out


def test_enums_and_inputs_merge() -> None:
    out = compose(VALID["enum_and_input_merging"])
    # Output-only enum: union of values, each marked with its graphs.
    assert "ARCHIVED @join__enumValue(graph: B)" in out
    assert "DELETED @join__enumValue(graph: A)" in out
    # Input-only enum: intersection.
    assert "RANDOM" not in out
    # Input object: intersection of fields, defaults kept.
    assert "input Filter\n  @join__type(graph: A)\n  @join__type(graph: B)\n{\n" in out
    assert "  name: String\n  limit: Int = 10\n}" in out
    assert "offset" not in out


def test_link_renames_resolve_to_canonical_directives() -> None:
    out = compose(VALID["link_renames"])
    assert '@join__type(graph: A, key: "id")' in out
    assert '@join__type(graph: B, key: "id")' in out
    assert (
        '@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY, '
        'import: [{name: "@inaccessible", as: "@federation__inaccessible"}])'
    ) in out
    assert "nick: String @federation__inaccessible @join__field(graph: B)" in out


def test_extension_requires_provides_and_override() -> None:
    out = compose(VALID["extension_requires_override"])
    assert '@join__type(graph: BILLING, key: "id", extension: true)' in out
    assert "  id: ID!\n" in out  # extension key fields are not external
    assert (
        "email: String! @join__field(graph: ACCOUNTS) @join__field(graph: BILLING, external: true)"
    ) in out
    assert 'balance: Float! @join__field(graph: BILLING, requires: "plan")' in out
    assert 'legacy: Int @join__field(graph: BILLING, override: "accounts")' in out
    assert 'account: Account! @join__field(graph: BILLING, provides: "email")' in out


def test_interfaces_and_unions() -> None:
    out = compose(VALID["interfaces_and_unions"])
    assert (
        "union Result\n  @join__type(graph: A)\n  @join__type(graph: B)\n"
        '  @join__unionMember(graph: A, member: "Book")\n'
        '  @join__unionMember(graph: B, member: "Film")\n = Book | Film'
    ) in out
    assert 'type Film implements Node\n  @join__implements(graph: B, interface: "Node")' in out


def test_compatible_field_types_record_each_graphs_type() -> None:
    out = compose(VALID["nullable_shareable_field"])
    assert (
        'x: String @join__field(graph: A, type: "String") @join__field(graph: B, type: "String!")'
    ) in out


def test_root_types_are_renamed_to_the_defaults() -> None:
    sdl = (
        'schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) '
        "{ query: RootQuery }\ntype RootQuery { a: Int }"
    )
    out = compose([SubgraphSource("a", "http://a", sdl)])
    assert "type Query\n  @join__type(graph: A)\n{\n  a: Int\n}" in out
    assert "RootQuery" not in out


RECORDED = recorded_cases()
#: Connectors (@connect/@source) and @context are not composed: composing them is refused.
UNSUPPORTED = {"planner_join_v05"}


@pytest.mark.parametrize("name", sorted(set(RECORDED) - UNSUPPORTED))
def test_recorded_supergraph_is_reproduced_byte_for_byte(name: str) -> None:
    """Each scenario/fixture folder composes to the supergraph @apollo/composition recorded."""
    case = RECORDED[name]
    assert compose(case.subgraphs) == case.supergraph.read_text(encoding="utf-8")


def test_connectors_are_refused_with_the_directive_named() -> None:
    with pytest.raises(CompositionError) as caught:
        compose(RECORDED["planner_join_v05"].subgraphs)
    messages = [issue.message for issue in caught.value.issues]
    assert '[brands] Unknown directive "@connect".' in messages
    assert '[brands] Unknown directive "@source".' in messages


def test_federation_1_extensions_are_upgraded() -> None:
    out = compose(RECORDED["scenario_fed1"].subgraphs)
    assert "extension: true" not in out
    assert '@join__type(graph: INVENTORY, key: "upc")' in out
    assert (
        "username: String @join__field(graph: ACCOUNTS) "
        "@join__field(graph: REVIEWS, external: true)"
    ) in out


def test_progressive_override_keeps_both_graphs_with_the_label() -> None:
    out = compose(RECORDED["scenario_override"].subgraphs)
    assert (
        'plan: String! @join__field(graph: BILLING, override: "legacy", '
        'overrideLabel: "percent(100)") @join__field(graph: LEGACY, overrideLabel: "percent(100)")'
    ) in out


def test_interface_object_fields_reach_the_implementations() -> None:
    out = compose(RECORDED["scenario_interface_object"].subgraphs)
    assert '@join__type(graph: RATINGS, key: "id", isInterfaceObject: true)' in out
    assert "  rating: Int! @join__field\n" in out


def test_composed_directive_gets_its_link_and_definition() -> None:
    out = compose(RECORDED["planner_join_v03"].subgraphs)
    assert '@link(url: "https://myspecs.dev/audit/v1.0", import: ["@audited"])' in out
    assert "directive @audited(reason: String) on FIELD_DEFINITION | OBJECT" in out
    assert "directive @cached(ttl: Int = 60) on FIELD | QUERY" in out

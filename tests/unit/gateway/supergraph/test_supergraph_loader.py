"""Loading supergraphs: graphs, keys, field ownership, link renames, join versions, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import print_ast

from gateway.supergraph import Supergraph, SupergraphError, load_supergraph, parse_supergraph

LINK = '@link(url: "https://specs.apollo.dev/link/v1.0")'


def minimal(schema_links: str, body: str, prefix: str = "join") -> str:
    return f"""
    schema {LINK} {schema_links} {{ query: Query }}
    enum {prefix}__Graph {{
      A @{prefix}__graph(name: "a", url: "http://a")
      B @{prefix}__graph(name: "b", url: "http://b")
    }}
    {body}
    """


def test_graphs_are_read_in_enum_order_with_urls(users_orders: Supergraph) -> None:
    assert [(g.name, g.url, g.enum_value) for g in users_orders.graphs.values()] == [
        ("orders", "http://127.0.0.1:8082/graphql", "ORDERS"),
        ("users", "http://127.0.0.1:8081/graphql", "USERS"),
    ]
    assert users_orders.join_version == "v0.3"


def test_types_know_their_graphs_and_keys(users_orders: Supergraph) -> None:
    user = users_orders.type("User")
    assert set(user.graphs) == {"orders", "users"}
    assert [(k.graph, str(k.fields), k.resolvable) for k in user.keys] == [
        ("orders", "id", True),
        ("users", "id", True),
    ]
    assert users_orders.type("Order").resolvable_keys("users") == ()


def test_field_without_join_field_is_resolved_by_every_graph_of_its_type(
    users_orders: Supergraph,
) -> None:
    assert users_orders.field("User", "id").resolved_by == {"orders", "users"}  # type: ignore[union-attr]
    assert users_orders.field("User", "name").resolved_by == {"users"}  # type: ignore[union-attr]
    assert users_orders.field("User", "__typename") is None


def test_compound_and_nested_keys_parse_into_selection_sets(inventory: Supergraph) -> None:
    product = inventory.type("Product")
    assert [str(k.fields) for k in product.keys] == [
        "upc",
        "upc",
        "sku",
        "sku",
        "upc region { code }",
    ]
    nested = product.keys[-1].fields
    assert nested.top_level_names == ("upc", "region")
    assert print_ast(nested.selection_set) == "{\n  upc\n  region {\n    code\n  }\n}"


def test_external_and_overridden_fields_do_not_resolve() -> None:
    sdl = minimal(
        '@link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)',
        """
        type Query @join__type(graph: A) @join__type(graph: B) { t: T @join__field(graph: A) }
        type T @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") {
          id: ID!
          x: Int @join__field(graph: A, external: true) @join__field(graph: B)
          y: Int @join__field(graph: A, override: "b") @join__field(graph: B, usedOverridden: true)
        }
        """,
    )
    supergraph = parse_supergraph(sdl)
    x = supergraph.field("T", "x")
    y = supergraph.field("T", "y")
    assert x is not None and x.resolved_by == {"b"}
    assert y is not None and y.resolved_by == {"a"}
    assert y.join_in("a") is not None and y.join_in("a").override == "b"  # type: ignore[union-attr]


def test_link_as_renames_the_join_directives() -> None:
    sdl = minimal(
        '@link(url: "https://specs.apollo.dev/join/v0.3", as: "j", for: EXECUTION)',
        """
        directive @j__graph(name: String!, url: String!) on ENUM_VALUE
        scalar j__FieldSet
        type Query @j__type(graph: A) @j__type(graph: B) { me: User @j__field(graph: B) }
        type User @j__type(graph: A, key: "id") @j__type(graph: B, key: "id") {
          id: ID!
          name: String @j__field(graph: B)
        }
        """,
        prefix="j",
    )
    supergraph = parse_supergraph(sdl)
    assert list(supergraph.graphs) == ["a", "b"]
    assert supergraph.field("User", "name").resolved_by == {"b"}  # type: ignore[union-attr]
    assert "j__" not in supergraph.api_sdl
    assert "scalar j__FieldSet" not in supergraph.api_sdl


def test_imported_elements_keep_their_imported_names() -> None:
    sdl = minimal(
        '@link(url: "https://specs.apollo.dev/join/v0.2", import: [{name: "@type", as: "@owner"}])',
        """
        type Query @owner(graph: A) { me: User @join__field(graph: A) }
        type User @owner(graph: A, key: "id") @owner(graph: B, key: "id") { id: ID! }
        """,
    )
    supergraph = parse_supergraph(sdl)
    assert set(supergraph.type("User").graphs) == {"a", "b"}
    assert "@owner" not in supergraph.api_sdl


def test_join_v01_with_core_and_owner() -> None:
    sdl = """
    schema @core(feature: "https://specs.apollo.dev/core/v0.2")
           @core(feature: "https://specs.apollo.dev/join/v0.1", for: EXECUTION) { query: Query }
    directive @core(feature: String!, as: String, for: core__Purpose) repeatable on SCHEMA
    enum core__Purpose { SECURITY EXECUTION }
    enum join__Graph {
      A @join__graph(name: "a", url: "http://a")
      B @join__graph(name: "b", url: "http://b")
    }
    type Query { me: User @join__field(graph: A) }
    type User @join__owner(graph: A)
      @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") {
      id: ID!
      name: String
      age: Int @join__field(graph: B)
    }
    type Money { amount: Int }
    """
    supergraph = parse_supergraph(sdl)
    assert supergraph.join_version == "v0.1"
    assert supergraph.field("User", "name").resolved_by == {"a"}  # type: ignore[union-attr]
    assert supergraph.field("User", "age").resolved_by == {"b"}  # type: ignore[union-attr]
    assert set(supergraph.type("Money").graphs) == {"a", "b"}
    assert "core__" not in supergraph.api_sdl and "@core" not in supergraph.api_sdl


@pytest.mark.parametrize("version", ["v0.1", "v0.2", "v0.3", "v0.4", "v0.5"])
def test_supported_join_versions(version: str) -> None:
    sdl = minimal(
        f'@link(url: "https://specs.apollo.dev/join/{version}")',
        "type Query @join__type(graph: A) { a: Int }",
    )
    assert parse_supergraph(sdl).join_version == version


@pytest.mark.parametrize(
    ("sdl", "message"),
    [
        ("type Query { a: Int }", "no schema definition"),
        (f"schema {LINK} {{ query: Query }} type Query {{ a: Int }}", "join spec is not linked"),
        (
            minimal('@link(url: "https://specs.apollo.dev/join/v0.9")', "type Query { a: Int }"),
            "unsupported join spec version v0.9",
        ),
        (
            f'schema {LINK} @link(url: "https://specs.apollo.dev/join/v0.3") {{ query: Query }}'
            " type Query { a: Int }",
            "the graph enum join__Graph is missing",
        ),
        ("type Query {", "invalid supergraph SDL"),
        (
            minimal(
                '@link(url: "https://specs.apollo.dev/join/v0.3")',
                "type Query @join__type(graph: C) { a: Int }",
            ),
            "unknown graph 'C'",
        ),
    ],
)
def test_bad_supergraphs_raise_a_clear_error(sdl: str, message: str) -> None:
    with pytest.raises(SupergraphError, match=message):
        parse_supergraph(sdl)


def test_load_supergraph_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SupergraphError, match=r"cannot read supergraph .*missing\.graphql"):
        load_supergraph(tmp_path / "missing.graphql")


def test_with_urls_overrides_only_the_named_graphs(users_orders: Supergraph) -> None:
    moved = users_orders.with_urls({"users": "http://users:9000/graphql"})
    assert moved.graphs["users"].url == "http://users:9000/graphql"
    assert moved.graphs["orders"].url == users_orders.graphs["orders"].url
    assert users_orders.graphs["users"].url == "http://127.0.0.1:8081/graphql"
    with pytest.raises(KeyError):
        users_orders.with_urls({"nope": "http://x"})

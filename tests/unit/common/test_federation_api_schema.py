"""common.federation: the API schema of a supergraph SDL, for the gateway and the schema tools."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import print_schema

from common.federation import SupergraphError, api_schema_of
from gateway.supergraph import parse_supergraph

REPO = Path(__file__).resolve().parents[3]
SUPERGRAPHS = sorted(
    [
        REPO / "schema" / "supergraph.graphql",
        REPO / "tests" / "unit" / "schema" / "fixtures" / "supergraph.graphql",
        *(REPO / "tests" / "federation" / "scenarios").glob("*/supergraph.graphql"),
        *(REPO / "tests" / "unit" / "gateway" / "supergraph" / "fixtures").glob("*.graphql"),
    ]
)
# The gateway refuses this one (a `for: SECURITY` link it does not support); the API schema
# itself is still well defined, so it is compared with an explicit expectation below.
UNSUPPORTED_BY_GATEWAY = {"join_v05.graphql"}


@pytest.mark.parametrize(
    "path",
    [p for p in SUPERGRAPHS if p.name not in UNSUPPORTED_BY_GATEWAY],
    ids=lambda p: str(p.relative_to(REPO)),
)
def test_the_sdl_entry_point_gives_the_gateway_s_api_schema(path: Path) -> None:
    sdl = path.read_text(encoding="utf-8")
    assert print_schema(api_schema_of(sdl)) == parse_supergraph(sdl).api_sdl


def test_unsupported_security_links_still_give_an_api_schema_of() -> None:
    path = REPO / "tests" / "unit" / "gateway" / "supergraph" / "fixtures" / "join_v05.graphql"
    printed = print_schema(api_schema_of(path.read_text(encoding="utf-8")))
    assert "join__" not in printed and "context__" not in printed and "@link" not in printed


RENAMED = """
schema
  @l(url: "https://specs.apollo.dev/link/v1.0", as: "l")
  @l(url: "https://specs.apollo.dev/join/v0.3", as: "j", for: EXECUTION)
  @l(url: "https://specs.apollo.dev/inaccessible/v0.2",
     import: [{name: "@inaccessible", as: "@hidden"}])
{ query: Query }
directive @l(url: String, as: String, for: l__Purpose, import: [l__Import]) repeatable on SCHEMA
directive @j__graph(name: String!, url: String!) on ENUM_VALUE
directive @j__type(graph: j__Graph!, key: j__FieldSet) repeatable on OBJECT
directive @hidden on FIELD_DEFINITION | OBJECT | ARGUMENT_DEFINITION | ENUM_VALUE
scalar j__FieldSet
scalar l__Import
enum l__Purpose { SECURITY EXECUTION }
enum j__Graph { A @j__graph(name: "a", url: "http://a") }
type Query @j__type(graph: A) { me(debug: Boolean @hidden): User secret: Secret }
type User @j__type(graph: A, key: "id") { id: ID! @hidden name: String role: Role }
type Secret @hidden { x: Int }
enum Role { ADMIN LEGACY @hidden }
"""


def test_renamed_links_and_imports() -> None:
    assert print_schema(api_schema_of(RENAMED)) == (
        "type Query {\n  me: User\n}\n\ntype User {\n  name: String\n  role: Role\n}\n\n"
        "enum Role {\n  ADMIN\n}"
    )
    assert print_schema(api_schema_of(RENAMED)) == parse_supergraph(RENAMED).api_sdl


@pytest.mark.parametrize(
    ("sdl", "message"),
    [
        ("type Query {", "invalid supergraph SDL"),
        ("type Query { a: Int }", "no schema definition"),
        (
            'schema @link(url: "https://specs.apollo.dev/link/v1.0")'
            ' @link(url: "https://example.com/nope") { query: Query } type Query { a: Int }',
            "malformed spec URL",
        ),
        (
            'schema @link(url: "https://specs.apollo.dev/link/v1.0") { query: Query }'
            " type Query { a: Nope }",
            "cannot build the API schema",
        ),
    ],
)
def test_unusable_supergraphs_raise(sdl: str, message: str) -> None:
    with pytest.raises(SupergraphError, match=message):
        api_schema_of(sdl)

"""The API schema: no join__/link__ elements, nothing @inaccessible, printed by graphql-core."""

from __future__ import annotations

from collections.abc import Callable

from graphql import GraphQLObjectType

from gateway.supergraph import Supergraph, parse_supergraph

INACCESSIBLE_SDL = """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)
  @link(url: "https://specs.apollo.dev/tag/v0.3")
{ query: Query }
directive @inaccessible on FIELD_DEFINITION | OBJECT | ARGUMENT_DEFINITION | ENUM_VALUE
  | INPUT_FIELD_DEFINITION
directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import])
  repeatable on SCHEMA
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__type(graph: join__Graph!, key: join__FieldSet) repeatable on OBJECT
directive @cached(ttl: Int) on FIELD
scalar join__FieldSet
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
enum join__Graph { A @join__graph(name: "a", url: "http://a") }
type Query @join__type(graph: A) {
  users(filter: UserFilter, debug: Boolean @inaccessible): [User!]! @tag(name: "public")
  secret: Secret
  internal: Int @inaccessible
}
type User @join__type(graph: A, key: "internalId") {
  internalId: ID! @inaccessible
  name: String!
  role: Role!
}
type Secret @inaccessible @join__type(graph: A) { x: Int }
enum Role { ADMIN MEMBER LEGACY @inaccessible }
input UserFilter { name: String hidden: Int @inaccessible }
"""

EXPECTED = """directive @cached(ttl: Int) on FIELD

type Query {
  users(filter: UserFilter): [User!]!
}

type User {
  name: String!
  role: Role!
}

enum Role {
  ADMIN
  MEMBER
}

input UserFilter {
  name: String
}"""


def test_api_schema_drops_spec_and_inaccessible_elements() -> None:
    supergraph = parse_supergraph(INACCESSIBLE_SDL)
    assert supergraph.api_sdl == EXPECTED


def test_inaccessible_elements_stay_in_the_supergraph_schema() -> None:
    supergraph = parse_supergraph(INACCESSIBLE_SDL)
    user = supergraph.schema.get_type("User")
    assert isinstance(user, GraphQLObjectType) and "internalId" in user.fields
    assert supergraph.api_schema.get_type("Secret") is None


def test_users_orders_api_schema_has_no_federation_elements(
    users_orders: Supergraph, fixture_sdl: Callable[[str], str]
) -> None:
    sdl = users_orders.api_sdl
    for fragment in ("join__", "link__", "@link", "@join", "_Any", "_entities"):
        assert fragment not in sdl
    assert "type User {\n  id: ID!\n  name: String!\n  email: String!" in sdl
    assert users_orders.api_schema.mutation_type is not None

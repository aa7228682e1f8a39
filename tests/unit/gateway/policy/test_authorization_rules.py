"""The rules alone: which selections a caller may keep, on hand-written supergraphs whose
interfaces do not carry their implementations' requirements (Router checks implementations
itself there, so do we), and with requirements on root types."""

from __future__ import annotations

import pytest
from graphql import parse, print_ast

from gateway.planning import normalize_operation, operation_document
from gateway.policy.authorization import AuthorizationRules, Caller, RolePolicies
from gateway.supergraph import parse_supergraph

SUPERGRAPH = """
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)
  @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)
{ query: Query mutation: Mutation }

directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!)
  on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
scalar requiresScopes__Scope
enum join__Graph { A @join__graph(name: "a", url: "http://a") }

type Query @join__type(graph: A) {
  posts: [Post!]!
  media: [Media!]!
  open: [Open!]!
}

type Mutation @join__type(graph: A) @requiresScopes(scopes: [["write"]]) {
  publish(title: String!): Post
}

interface Post @join__type(graph: A) { id: ID! title: String }

type PublicPost implements Post
  @join__type(graph: A) @join__implements(graph: A, interface: "Post") {
  id: ID!
  title: String
}

type DraftPost implements Post
  @join__type(graph: A) @join__implements(graph: A, interface: "Post") {
  id: ID!
  title: String @authenticated
}

interface Media @join__type(graph: A) { id: ID! }

type Photo implements Media
  @join__type(graph: A) @join__implements(graph: A, interface: "Media") {
  id: ID!
}

type PrivatePhoto implements Media
  @join__type(graph: A) @join__implements(graph: A, interface: "Media") @authenticated {
  id: ID!
}

interface Open @join__type(graph: A) { id: ID! }

type OpenA implements Open
  @join__type(graph: A) @join__implements(graph: A, interface: "Open") @requiresScopes(scopes: []) {
  id: ID!
}
"""

ANONYMOUS = Caller()
SIGNED_IN = Caller(authenticated=True)


@pytest.fixture(scope="module")
def rules() -> AuthorizationRules:
    return AuthorizationRules(parse_supergraph(SUPERGRAPH), RolePolicies())


def filtered(rules: AuthorizationRules, query: str, caller: Caller) -> str | None:
    """The operation the caller's operation is planned as; None when nothing is taken out."""
    operation = normalize_operation(parse(query), None, rules.supergraph.schema)
    authorized = rules.authorize(operation, caller)
    if authorized.removals is None:
        assert authorized.operation is operation
        return None
    return print_ast(operation_document(authorized.operation))


def test_a_field_an_implementation_protects_is_protected_on_the_interface(
    rules: AuthorizationRules,
) -> None:
    assert filtered(rules, "{ posts { id title } }", ANONYMOUS) == (
        "{\n  posts {\n    id\n    title: __typename\n  }\n}"
    )
    assert filtered(rules, "{ posts { id title } }", SIGNED_IN) is None
    # Asked of the one implementation that does not protect it, it stays.
    assert filtered(rules, "{ posts { ... on PublicPost { title } } }", ANONYMOUS) is None


def test_an_interface_with_a_protected_implementation_is_protected_when_read_directly(
    rules: AuthorizationRules,
) -> None:
    assert filtered(rules, "{ media { id } }", ANONYMOUS) == "{\n  media: __typename\n}"
    # __typename and fragments read no data of the other implementations.
    assert filtered(rules, "{ media { __typename ... on Photo { id } } }", ANONYMOUS) is None
    assert filtered(rules, "{ media { ... on PrivatePhoto { id } } }", ANONYMOUS) == (
        "{\n  media {\n    ... on PrivatePhoto {\n"
        "      PrivatePhoto_unauthorized: __typename\n    }\n  }\n}"
    )


def test_an_empty_list_of_scopes_asks_nothing(rules: AuthorizationRules) -> None:
    assert filtered(rules, "{ open { id } }", ANONYMOUS) is None


def test_a_root_type_requirement_applies_to_each_root_field(rules: AuthorizationRules) -> None:
    query = (
        'mutation { publish(title: "x") { id } '
        '... on Mutation { again: publish(title: "y") { id } } }'
    )
    # Normalised: the fragment on the root type itself is flattened.
    assert filtered(rules, query, SIGNED_IN) == (
        "mutation {\n  publish: __typename\n  again: __typename\n}"
    )
    assert filtered(rules, query, Caller(authenticated=True, scopes=frozenset({"write"}))) is None


def test_variables_and_directives_of_a_removed_field_are_kept_where_needed(
    rules: AuthorizationRules,
) -> None:
    query = "mutation M($t: String!, $on: Boolean!) { publish(title: $t) @include(if: $on) { id } }"
    assert filtered(rules, query, ANONYMOUS) == (
        "mutation M($t: String!, $on: Boolean!) {\n  publish: __typename @include(if: $on)\n}"
    )


def test_the_removed_selections_come_back_with_their_paths_and_errors(
    rules: AuthorizationRules,
) -> None:
    query = "{ posts { id title } media { id } open { ... on OpenA { id } } }"
    operation = normalize_operation(parse(query), None, rules.supergraph.schema)
    authorized = rules.authorize(operation, ANONYMOUS)
    assert authorized.removals is not None
    # (the object scope holding the stand-in, the stand-in's key, the client's key, non-null)
    assert [(r.parent, r.stand_in, r.key, r.non_null) for r in authorized.removals] == [
        (("posts",), "title", "title", False),
        ((), "media", "media", True),
    ]
    title, media = authorized.removals
    assert title.error(["posts", 0]) == {
        "message": "Unauthorized field or type",
        "path": ["posts", 0, "title"],
        "extensions": {"code": "UNAUTHORIZED_FIELD_OR_TYPE"},
    }
    assert media.error([])["path"] == ["media"]


def test_a_fragment_on_a_hidden_type_comes_back_as_an_error_on_its_objects(
    rules: AuthorizationRules,
) -> None:
    operation = normalize_operation(
        parse("{ media { ... on PrivatePhoto { id } } }"), None, rules.supergraph.schema
    )
    authorized = rules.authorize(operation, ANONYMOUS)
    assert authorized.removals is not None
    [marker] = authorized.removals
    assert (marker.parent, marker.stand_in, marker.key) == (
        ("media",),
        "PrivatePhoto_unauthorized",
        None,
    )
    assert marker.error(["media", 3])["path"] == ["media", 3]

"""What counts as breaking, dangerous or safe, and the coordinate each change is reported at."""

from __future__ import annotations

import pytest
from graphql import build_schema
from graphql.utilities import BreakingChangeType, DangerousChangeType, SafeChangeType

from schema.check import Change, Level, compare_supergraphs, find_changes
from schema.check.changes import coordinate_of

B, D, S = Level.BREAKING, Level.DANGEROUS, Level.SAFE

BASE = """
type Query {
  user(id: ID!, limit: Int = 10, filter: Filter): User
  users: [User!]!
  search: [Result]
}
interface Node { id: ID! }
type User implements Node { id: ID! name: String email: String! role: Role }
type Org { id: ID! }
union Result = User | Org
enum Role { ADMIN MEMBER }
input Filter { name: String, age: Int! }
"""


def found(old: str, new: str) -> list[tuple[Level, str, str]]:
    """(level, kind, coordinate) of every change from `old` to `new`."""
    return [
        (c.level, c.kind, c.coordinate) for c in find_changes(build_schema(old), build_schema(new))
    ]


def edit(*replacements: tuple[str, str]) -> str:
    sdl = BASE
    for old, new in replacements:
        assert sdl.count(old) == 1, old
        sdl = sdl.replace(old, new)
    return sdl


CASES: dict[str, tuple[str, list[tuple[Level, str, str]]]] = {
    "field removed": (edit((" name: String email", " email")), [(B, "FIELD_REMOVED", "User.name")]),
    "type removed": (
        edit(("union Result = User | Org", "union Result = User"), ("type Org { id: ID! }", "")),
        [(B, "TYPE_REMOVED", "Org"), (B, "TYPE_REMOVED_FROM_UNION", "Result")],
    ),
    "output field made nullable": (
        edit(("email: String!", "email: String")),
        [(B, "FIELD_CHANGED_KIND", "User.email")],
    ),
    "output field made non-null": (
        edit(("name: String email", "name: String! email")),
        [(S, "FIELD_CHANGED_KIND_SAFE", "User.name")],
    ),
    "output field changed type": (
        edit(("users: [User!]!", "users: [Org!]!")),
        [(B, "FIELD_CHANGED_KIND", "Query.users")],
    ),
    "argument made non-null": (
        edit(("filter: Filter)", "filter: Filter!)")),
        [(B, "ARG_CHANGED_KIND", "Query.user(filter:)")],
    ),
    "argument made nullable": (
        edit(("user(id: ID!", "user(id: ID")),
        [(S, "ARG_CHANGED_KIND_SAFE", "Query.user(id:)")],
    ),
    "input field made non-null": (
        edit(("name: String, age", "name: String!, age")),
        [(B, "FIELD_CHANGED_KIND", "Filter.name")],
    ),
    "input field made nullable": (
        edit(("age: Int!", "age: Int")),
        [(S, "FIELD_CHANGED_KIND_SAFE", "Filter.age")],
    ),
    "required argument added": (
        edit(("filter: Filter)", "filter: Filter, tenant: ID!)")),
        [(B, "REQUIRED_ARG_ADDED", "Query.user(tenant:)")],
    ),
    "required argument with a default added": (
        edit(("filter: Filter)", "filter: Filter, tenant: ID! = 1)")),
        [(D, "OPTIONAL_ARG_ADDED", "Query.user(tenant:)")],
    ),
    "required input field added": (
        edit(("age: Int! }", "age: Int!, tenant: ID! }")),
        [(B, "REQUIRED_INPUT_FIELD_ADDED", "Filter.tenant")],
    ),
    "optional input field added": (
        edit(("age: Int! }", "age: Int!, tenant: ID }")),
        [(D, "OPTIONAL_INPUT_FIELD_ADDED", "Filter.tenant")],
    ),
    "enum value removed": (
        edit(("ADMIN MEMBER", "ADMIN")),
        [(B, "VALUE_REMOVED_FROM_ENUM", "Role.MEMBER")],
    ),
    "enum value added": (
        edit(("ADMIN MEMBER", "ADMIN MEMBER OWNER")),
        [(D, "VALUE_ADDED_TO_ENUM", "Role.OWNER")],
    ),
    "union member added": (
        edit(
            ("= User | Org", "= User | Org | Team"), ("type Org", "type Team { id: ID }\ntype Org")
        ),
        [(D, "TYPE_ADDED_TO_UNION", "Result"), (S, "TYPE_ADDED", "Team")],
    ),
    "interface removed from a type": (
        edit(("type User implements Node", "type Org2 implements Node { id: ID! }\ntype User")),
        [(B, "IMPLEMENTED_INTERFACE_REMOVED", "User"), (S, "TYPE_ADDED", "Org2")],
    ),
    "argument removed": (
        edit((", limit: Int = 10", "")),
        [(B, "ARG_REMOVED", "Query.user(limit:)")],
    ),
    "argument default changed": (
        edit(("limit: Int = 10", "limit: Int = 20")),
        [(D, "ARG_DEFAULT_VALUE_CHANGE", "Query.user(limit:)")],
    ),
    "field added": (
        edit(("users: [User!]!", "users: [User!]!\n  me: User")),
        [(S, "FIELD_ADDED", "Query.me")],
    ),
    "field deprecated": (
        edit(("name: String email", 'name: String @deprecated(reason: "use\\nfullName") email')),
        [(S, "DEPRECATION_ADDED", "User.name")],
    ),
    "argument undeprecated": (
        BASE.replace("limit: Int = 10", "limit: Int = 10 @deprecated"),
        [(S, "DEPRECATION_REMOVED", "Query.user(limit:)")],
    ),
    "description added": (
        edit(("type Org", '"""An organisation\nof users."""\ntype Org')),
        [(S, "DESCRIPTION_CHANGED", "Org")],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_change_levels_and_coordinates(name: str) -> None:
    new, expected = CASES[name]
    old = BASE if name != "argument undeprecated" else new
    new = new if name != "argument undeprecated" else BASE
    assert sorted(found(old, new), key=str) == sorted(expected, key=str)


def test_messages_are_one_line_and_say_why_a_change_breaks() -> None:
    new = edit(("name: String email", 'name: String @deprecated(reason: "use\\nfullName") email'))
    new = new.replace("type Org", '"""An organisation\nof users."""\ntype Org')
    new = new.replace(" email: String!", "")
    messages = {c.kind: c.message for c in find_changes(build_schema(BASE), build_schema(new))}
    assert messages == {
        "FIELD_REMOVED": "Field User.email was removed: operations using it fail validation.",
        "DEPRECATION_ADDED": "User.name was deprecated: use fullName.",
        "DESCRIPTION_CHANGED": "Description of Org changed.",
    }


def test_changes_are_sorted_worst_first_then_by_coordinate() -> None:
    new = edit(
        ("ADMIN MEMBER", "ADMIN OWNER"),
        (" name: String email", " email"),
        ("age: Int!", "age: Int"),
    )
    levels = [(level, coordinate) for level, _, coordinate in found(BASE, new)]
    assert levels == [
        (B, "Role.MEMBER"),
        (B, "User.name"),
        (D, "Role.OWNER"),
        (S, "Filter.age"),
    ]


def test_root_operation_types() -> None:
    with_mutation = BASE + "type Mutation { ping: Int }"
    assert (B, "ROOT_TYPE_REMOVED", "Mutation") in found(with_mutation, BASE)
    assert (S, "ROOT_TYPE_ADDED", "Mutation") in found(BASE, with_mutation)
    renamed = "schema { query: Root }\n" + BASE.replace("type Query", "type Root")
    assert (D, "ROOT_TYPE_CHANGED", "Root") in found(BASE, renamed)


# Every sentence graphql-core writes, with the coordinate read back from it. A graphql-core
# release that rewords one fails here instead of printing changes without a coordinate.
EVERY_KIND_OLD = """
directive @cached(ttl: Int = 5, scope: String, gone: Int, "d" doc: Int) repeatable on FIELD | QUERY
directive @gone on FIELD
directive @once on FIELD
type Query {
  f(a: Int!, b: Int = 1, c: Int, "d" d: Int, e: Int, gone: Int, h: Int!): Int!
  g: Float
  gone: Int
  kind: Kind
  i: I
}
"d" interface I { id: ID }
type A implements I { id: ID }
type B { id: ID }
union U = A | B
enum E { X Y "d" Z }
input In { a: Int!, b: Int = 1, c: Int, "d" d: Int, gone: Int, e: Int = 2 }
scalar Kind
type T { u: U e: E in(x: In): Int }
"""
EVERY_KIND_NEW = """
directive @cached(ttl: Int = 6, scope: String = "s", "e" doc: Int, req: Int!, opt: Int) on FIELD
directive @once repeatable on FIELD | MUTATION
directive @added on FIELD
type Query {
  f(a: String, b: Int = 2, c: Int = 3, "e" d: Int, e: Int!, req: Int!, opt: Int, h: Int): Int
  kind: Kind
  i: I
  added: Int
}
"e" interface I { id: ID }
type A { id: ID }
type B implements I { id: ID }
type C { id: ID }
union U = A | C
enum E { X "e" Z W }
input In { a: Int, b: Int = 3, c: Int = 3, "e" d: Int, e: Int, req: Int!, opt: Int }
type Kind { id: ID }
type T { u: U e: E in(x: In): Int }
"""
NEVER_EMITTED = {"OPTIONAL_INPUT_FIELD_ADDED", "OPTIONAL_ARG_ADDED"}  # as SAFE: DANGEROUS instead


def test_every_graphql_core_sentence_gives_a_coordinate() -> None:
    changes = find_changes(build_schema(EVERY_KIND_OLD), build_schema(EVERY_KIND_NEW))
    kinds = {c.kind for c in changes}
    every = {t.name for e in (BreakingChangeType, DangerousChangeType, SafeChangeType) for t in e}
    assert every - NEVER_EMITTED <= kinds
    assert [c for c in changes if not c.coordinate] == []
    by_kind = {(c.kind, c.coordinate) for c in changes}
    for expected in [
        ("TYPE_REMOVED", "Float"),
        ("DIRECTIVE_LOCATION_REMOVED", "@cached"),
        ("DIRECTIVE_REPEATABLE_ADDED", "@once"),
        ("DIRECTIVE_ARG_REMOVED", "@cached(gone:)"),
        ("ARG_DEFAULT_VALUE_ADDED", "@cached(scope:)"),
        ("DESCRIPTION_CHANGED", "@cached"),
        ("DESCRIPTION_CHANGED", "Query.f(d:)"),
        ("DESCRIPTION_CHANGED", "E.Z"),
        ("DESCRIPTION_CHANGED", "In.d"),
        ("INPUT_FIELD_DEFAULT_VALUE_ADDED", "In.c"),
        ("IMPLEMENTED_INTERFACE_ADDED", "B"),
        ("TYPE_REMOVED_FROM_UNION", "U"),
    ]:
        assert expected in by_kind


@pytest.mark.parametrize(
    ("sentence", "coordinate"),
    [
        ("Field Query.me was removed.", "Query.me"),
        ("Argument Query.user(id:) has changed type from ID! to ID.", "Query.user(id:)"),
        ('Description of argument Query.user(id) has changed to "x".', "Query.user(id:)"),
        ("Org was removed from union type Result.", "Result"),
        ("QUERY was removed from @cached.", "@cached"),
        ("Something graphql-core never wrote", ""),
    ],
)
def test_coordinate_of(sentence: str, coordinate: str) -> None:
    assert coordinate_of(sentence) == coordinate


def test_compare_supergraphs_compares_api_schemas_only() -> None:
    head = (
        'schema @link(url: "https://specs.apollo.dev/link/v1.0")'
        ' @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)'
        ' @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)'
        " { query: Query }\n"
        "directive @inaccessible on FIELD_DEFINITION\n"
        "directive @join__graph(name: String!, url: String!) on ENUM_VALUE\n"
    )
    old = head + 'enum join__Graph { A @join__graph(name: "a", url: "http://a") }\n'
    old += "type Query { a: Int hidden: Int @inaccessible }"
    new = head + 'enum join__Graph { A @join__graph(name: "a", url: "http://a2") }\n'
    new += "type Query { a: Int }"
    assert compare_supergraphs(old, new) == []
    added = new.replace("type Query { a: Int }", "type Query { a: Int b: Int @inaccessible }")
    assert compare_supergraphs(old, added) == []
    removed = new.replace("type Query { a: Int }", "type Query { a: Int @inaccessible z: Int }")
    assert compare_supergraphs(old, removed) == [
        Change(
            B,
            "FIELD_REMOVED",
            "Query.a",
            "Field Query.a was removed: operations using it fail validation.",
        ),
        Change(S, "FIELD_ADDED", "Query.z", "Field Query.z was added."),
    ]

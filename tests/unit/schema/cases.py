"""Subgraph fixtures shared by the composer tests and the differential tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from schema.compose import SubgraphSource
from schema.config import load_config, read_sources

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[3]


def fed(version: str = "2.7", imports: str = '"@key", "@shareable"', extra: str = "") -> str:
    """A Strawberry-style schema header linking the federation spec."""
    return (
        f'schema @link(url: "https://specs.apollo.dev/federation/v{version}", '
        f"import: [{imports}]{extra}) {{\n  query: Query\n}}\n\n"
    )


def sources(*pairs: tuple[str, str]) -> list[SubgraphSource]:
    """Subgraph sources with made-up URLs."""
    return [SubgraphSource(name, f"http://{name}.local/graphql", sdl) for name, sdl in pairs]


def fixture_subgraphs() -> list[SubgraphSource]:
    """The hand-written users and orders fixtures (keys, provides, requires, renames, ...)."""
    return [
        SubgraphSource("users", "http://127.0.0.1:8081/graphql", _read("users.graphql")),
        SubgraphSource("orders", "http://127.0.0.1:8082/graphql", _read("orders.graphql")),
    ]


def project_subgraphs() -> list[SubgraphSource]:
    """The project's subgraph SDLs as schema/subgraphs.yaml lists them (as `make compose`)."""
    return read_sources(load_config(REPO / "schema" / "subgraphs.yaml", REPO))


SCENARIOS = REPO / "tests" / "federation" / "scenarios"
PLANNER_FIXTURES = REPO / "tests" / "unit" / "gateway" / "supergraph" / "fixtures"


@dataclass(frozen=True)
class RecordedCase:
    """Subgraphs and the supergraph @apollo/composition made from them (checked in)."""

    subgraphs: list[SubgraphSource]
    supergraph: Path


def recorded_cases() -> dict[str, RecordedCase]:
    """The engine's scenarios and the planner fixtures' sources, one case per folder."""
    cases: dict[str, RecordedCase] = {}
    for folder in sorted(p for p in SCENARIOS.iterdir() if (p / "subgraphs").is_dir()):
        subgraphs = _folder(folder / "subgraphs", "http://{}.scenario.invalid/graphql")
        cases[f"scenario_{folder.name}"] = RecordedCase(subgraphs, folder / "supergraph.graphql")
    for folder in sorted(p for p in (PLANNER_FIXTURES / "sources").iterdir() if p.is_dir()):
        subgraphs = _folder(folder, "http://{}.example/graphql")
        cases[f"planner_{folder.name}"] = RecordedCase(
            subgraphs, PLANNER_FIXTURES / f"{folder.name}.graphql"
        )
    return cases


def _folder(folder: Path, url: str) -> list[SubgraphSource]:
    return [
        SubgraphSource(path.stem, url.format(path.stem), path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.graphql"))
    ]


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


KEYED = fed(imports='"@key", "@shareable", "@external", "@requires", "@provides", "@override"')

# Successful compositions: name -> subgraphs.
VALID: dict[str, list[SubgraphSource]] = {
    "compound_and_unresolvable_keys": sources(
        (
            "catalog",
            fed() + "type Query { product(sku: String!): Product }\n"
            'type Product @key(fields: "sku") @key(fields: "sku vendor { id }") '
            "{ sku: String! vendor: Vendor! title: String! }\n"
            'type Vendor @key(fields: "id", resolvable: false) { id: ID! }',
        ),
        (
            "vendors",
            fed() + "type Query { vendor(id: ID!): Vendor }\n"
            'type Vendor @key(fields: "id") { id: ID! name: String! }',
        ),
    ),
    "shareable_value_types": sources(
        (
            "a",
            fed() + "type Query { a: Page }\n"
            "type Page @shareable { size: Int! cursor: String }\n"
            "type Money { amount: Float! @shareable currency: String! @shareable }\n"
            "type Price { value: Money! }",
        ),
        (
            "b",
            fed() + "type Query { b: Page, c: Money }\n"
            "type Page @shareable { size: Int! cursor: String }\n"
            "type Money @shareable { amount: Float! currency: String! }",
        ),
    ),
    "enum_and_input_merging": sources(
        (
            "a",
            fed()
            + "type Query { status: Status, find(filter: Filter, order: Order): Int @shareable }\n"
            "enum Status { ACTIVE DELETED }\nenum Order { ASC DESC }\n"
            "input Filter { name: String, limit: Int = 10 }",
        ),
        (
            "b",
            fed()
            + "type Query { other: Status, find(filter: Filter, order: Order): Int @shareable }\n"
            "enum Status { ACTIVE ARCHIVED }\nenum Order { ASC DESC RANDOM }\n"
            "input Filter { name: String, limit: Int = 10, offset: Int }",
        ),
    ),
    "link_renames": sources(
        (
            "a",
            'schema @link(url: "https://specs.apollo.dev/federation/v2.3", as: "fed", '
            'import: [{name: "@key", as: "@entity"}]) { query: Query }\n'
            "type Query { user(id: ID!): User @fed__shareable }\n"
            'type User @entity(fields: "id") { id: ID! name: String @fed__shareable }',
        ),
        (
            "b",
            fed("2.3", '"@key"') + "type Query { user(id: ID!): User @federation__shareable }\n"
            'type User @key(fields: "id") { id: ID! name: String @federation__shareable '
            "nick: String @federation__inaccessible }",
        ),
    ),
    "extension_requires_override": sources(
        (
            "accounts",
            KEYED + "type Query { me: Account }\n"
            'type Account @key(fields: "id") { id: ID! email: String! @shareable '
            "plan: String! legacy: Int }",
        ),
        (
            "billing",
            KEYED + "type Query { invoices: [Invoice!]! }\n"
            'type Invoice { id: ID! account: Account! @provides(fields: "email") }\n'
            'extend type Account @key(fields: "id") { id: ID! @external '
            "email: String! @external plan: String! @external "
            'balance: Float! @requires(fields: "plan") legacy: Int @override(from: "accounts") }',
        ),
    ),
    "interfaces_and_unions": sources(
        (
            "a",
            fed("2.3") + "type Query { node(id: ID!): Node search: [Result!]! }\n"
            "interface Node { id: ID! }\n"
            'type Book implements Node @key(fields: "id") { id: ID! title: String }\n'
            "union Result = Book",
        ),
        (
            "b",
            fed("2.3") + "type Query { films: [Film!]! search2: [Result!]! }\n"
            "interface Node { id: ID! }\n"
            'type Film implements Node @key(fields: "id") { id: ID! }\n'
            "union Result = Film",
        ),
    ),
    "nullable_shareable_field": sources(
        ("a", fed() + "type Query { t: T @shareable }\ntype T @shareable { x: String }"),
        ("b", fed() + "type Query { t: T @shareable }\ntype T @shareable { x: String! }"),
    ),
    "graph_names": sources(
        ("inventory-v2", fed() + "type Query { a: Int }"),
        ("2fast", fed() + "type Query { b: Int }"),
        ("svc_1", fed() + "type Query { c: Int }"),
    ),
}

H = fed(imports='"@key", "@shareable", "@external"')

# Failing compositions: name -> (subgraphs, code, message).
INVALID: dict[str, tuple[list[SubgraphSource], str, str]] = {
    "non_shareable_field": (
        sources(
            ("a", H + 'type Query { a: Int } type T @key(fields: "id") { id: ID! name: String }'),
            ("b", H + 'type Query { b: T } type T @key(fields: "id") { id: ID! name: String }'),
        ),
        "INVALID_FIELD_SHARING",
        'Non-shareable field "T.name" is resolved from multiple subgraphs: it is resolved from '
        'subgraphs "a" and "b" and defined as non-shareable in all of them',
    ),
    "partly_shareable_field": (
        sources(
            ("a", H + 'type Query { a: Int } type T @key(fields: "id") { id: ID! name: String }'),
            (
                "b",
                H + 'type Query { b: T } type T @key(fields: "id") '
                "{ id: ID! name: String @shareable }",
            ),
            ("c", H + 'type Query { c: T } type T @key(fields: "id") { id: ID! name: String }'),
        ),
        "INVALID_FIELD_SHARING",
        'Non-shareable field "T.name" is resolved from multiple subgraphs: it is resolved from '
        'subgraphs "a", "b" and "c" and defined as non-shareable in subgraphs "a" and "c"',
    ),
    "value_type_not_shareable": (
        sources(
            ("a", H + "type Query { a: V } type V { x: Int }"),
            ("b", H + "type Query { b: V } type V { x: Int }"),
        ),
        "INVALID_FIELD_SHARING",
        'Non-shareable field "V.x" is resolved from multiple subgraphs: it is resolved from '
        'subgraphs "a" and "b" and defined as non-shareable in all of them',
    ),
    "field_type_mismatch": (
        sources(
            (
                "a",
                H + 'type Query { a: Int } type T @key(fields: "id") '
                "{ id: ID! n: String @shareable }",
            ),
            (
                "b",
                H + 'type Query { b: T } type T @key(fields: "id") { id: ID! n: Int @shareable }',
            ),
        ),
        "FIELD_TYPE_MISMATCH",
        'Type of field "T.n" is incompatible across subgraphs: it has type "String" in subgraph '
        '"a" but type "Int" in subgraph "b"',
    ),
    "key_field_missing": (
        sources(("a", H + 'type Query { a: T } type T @key(fields: "uid") { id: ID! }')),
        "KEY_INVALID_FIELDS",
        '[a] On type "T", for @key(fields: "uid"): Cannot query field "uid" on type "T" (the field '
        "should either be added to this subgraph or, if it should not be resolved by this "
        "subgraph, you need to add it to this subgraph with @external).",
    ),
    "unparsable_sdl": (
        sources(("a", H + "type Query { a: T ")),
        "INVALID_GRAPHQL",
        "[a] Syntax Error: Expected Name, found <EOF>.",
    ),
    "unknown_type": (
        sources(("a", H + "type Query { a: Nope }")),
        "INVALID_GRAPHQL",
        "[a] Unknown type Nope",
    ),
    "unknown_directive": (
        sources(("a", H + "type Query { a: Int @foo }")),
        "INVALID_GRAPHQL",
        '[a] Unknown directive "@foo".',
    ),
    "kind_mismatch": (
        sources(
            ("a", H + "type Query { a: V } type V { x: Int }"),
            ("b", H + "type Query { b: V } interface V { x: Int }"),
        ),
        "TYPE_KIND_MISMATCH",
        'Type "V" has mismatched kind: it is defined as Object Type in subgraph "a" but '
        'Interface Type in subgraph "b"',
    ),
    "enum_both_ways": (
        sources(
            ("a", H + "type Query { a(e: E): E } enum E { X Y }"),
            ("b", H + "type Query { b: E } enum E { X }"),
        ),
        "ENUM_VALUE_MISMATCH",
        'Enum type "E" is used as both input type (for example, as type of "Query.a(e:)") and '
        'output type (for example, as type of "Query.a"), but value "Y" is not defined in all '
        'the subgraphs defining "E": "Y" is defined in subgraph "a" but not in subgraph "b"',
    ),
    "input_required_field_missing": (
        sources(
            ("a", H + "type Query { a(i: I): Int } input I { x: Int! y: Int }"),
            ("b", H + "type Query { b(i: I): Int } input I { y: Int }"),
        ),
        "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
        'Input object field "I.x" is required in some subgraphs but does not appear in all '
        'subgraphs: it is required in subgraph "a" but does not appear in subgraph "b"',
    ),
    "input_empty": (
        sources(
            ("a", H + "type Query { a(i: I): Int } input I { x: Int }"),
            ("b", H + "type Query { b(i: I): Int } input I { y: Int }"),
        ),
        "EMPTY_MERGED_INPUT_TYPE",
        'None of the fields of input object type "I" are consistently defined in all the '
        "subgraphs defining that type. As only fields common to all subgraphs are merged, this "
        "would result in an empty type.",
    ),
    "extension_with_no_base": (
        sources(
            (
                "a",
                H + 'type Query { a: V } extend type V @key(fields: "id") '
                "{ id: ID! @external x: Int }",
            )
        ),
        "EXTENSION_WITH_NO_BASE",
        '[a] Type "V" is an extension type, but there is no type definition for "V" in any '
        "subgraph.",
    ),
    "key_on_interface_field": (
        sources(
            (
                "a",
                H + "type Query { a: T } interface I { x: Int } type C implements I { x: Int }\n"
                'type T @key(fields: "i { x }") { i: I }',
            )
        ),
        "KEY_FIELDS_SELECT_INVALID_TYPE",
        '[a] On type "T", for @key(fields: "i { x }"): field "T.i" is a Interface type which is '
        "not allowed in @key",
    ),
}

F = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", '
    '"@shareable", "@external", "@requires", "@provides", "@override"])\n'
)
INVALID.update(
    {
        "requires_field_not_external": (
            sources(
                (
                    "a",
                    F + 'type Query { t: T } type T @key(fields: "id") '
                    '{ id: ID! w: Int p: Int @requires(fields: "w") }',
                )
            ),
            "REQUIRES_FIELDS_MISSING_EXTERNAL",
            '[a] On field "T.p", for @requires(fields: "w"): field "T.w" should not be part of a '
            "@requires since it is already provided by this subgraph (it is not marked @external)",
        ),
        "external_unused": (
            sources(
                (
                    "a",
                    F
                    + 'type Query { t: T } type T @key(fields: "id") { id: ID! w: Int @external }',
                ),
                ("b", F + 'type T @key(fields: "id") { id: ID! w: Int }'),
            ),
            "EXTERNAL_UNUSED",
            '[a] Field "T.w" is marked @external but is not used in any federation directive '
            "(@key, @provides, @requires) or to satisfy an interface; the field declaration has no "
            "use and should be removed (or the field should not be @external).",
        ),
        "unsatisfiable_no_key": (
            sources(
                ("a", F + 'type Query { t: T } type T @key(fields: "id") { id: ID! }'),
                ("b", F + "type T { id: ID! @shareable name: String }"),
            ),
            "SATISFIABILITY_ERROR",
            "The following supergraph API query:\n{\n  t {\n    name\n  }\n}\n"
            "cannot be satisfied by the subgraphs because:\n"
            '- from subgraph "a":\n'
            '  - cannot find field "T.name".\n'
            '  - cannot move to subgraph "b", which has field "T.name", because type "T" has no '
            '@key defined in subgraph "b".',
        ),
        "unsatisfiable_entity_nobody_resolves": (
            sources(
                (
                    "a",
                    F + 'type Query { t: T } type T @key(fields: "id", resolvable: false) '
                    "{ id: ID! }",
                ),
                (
                    "b",
                    F + 'type T @key(fields: "id", resolvable: false) { id: ID! name: String }',
                ),
            ),
            "SATISFIABILITY_ERROR",
            "The following supergraph API query:\n{\n  t {\n    name\n  }\n}\n"
            "cannot be satisfied by the subgraphs because:\n"
            '- from subgraph "a":\n'
            '  - cannot find field "T.name".\n'
            '  - cannot move to subgraph "b", which has field "T.name", because none of the @key '
            'defined on type "T" in subgraph "b" are resolvable (they are all declared with their '
            '"resolvable" argument set to false).',
        ),
        "unsatisfiable_key_fields_unreachable": (
            sources(
                ("a", F + 'type Query { t: T } type T @key(fields: "id") { id: ID! }'),
                ("b", F + 'type T @key(fields: "sku") { sku: ID! }'),
            ),
            "SATISFIABILITY_ERROR",
            "The following supergraph API query:\n{\n  t {\n    sku\n  }\n}\n"
            "cannot be satisfied by the subgraphs because:\n"
            '- from subgraph "a":\n'
            '  - cannot find field "T.sku".\n'
            '  - cannot move to subgraph "b" using @key(fields: "sku") of "T", the key field(s) '
            'cannot be resolved from subgraph "a".',
        ),
        "override_label_invalid": (
            sources(
                (
                    "a",
                    F + 'type Query { t: T } type T @key(fields: "id") '
                    '{ id: ID! x: Int @override(from: "b", label: "9lives") }',
                ),
                ("b", F + 'type T @key(fields: "id") { id: ID! x: Int }'),
            ),
            "OVERRIDE_LABEL_INVALID",
            'Invalid @override label "9lives" on field "T.x" on subgraph "a": labels must start '
            "with a letter and after that may contain alphanumerics, underscores, minuses, colons, "
            'periods, or slashes. Alternatively, labels may be of the form "percent(x)" where x is '
            "a float between 0-100 inclusive.",
        ),
        "override_from_self": (
            sources(
                (
                    "a",
                    F + 'type Query { t: T } type T @key(fields: "id") '
                    '{ id: ID! x: Int @override(from: "a") }',
                ),
            ),
            "OVERRIDE_FROM_SELF_ERROR",
            'Source and destination subgraphs "a" are the same for overridden field "T.x"',
        ),
        "fed1_extension_with_no_base": (
            sources(
                (
                    "a",
                    'type Query { t: T }\nextend type T @key(fields: "id") { id: ID! @external }',
                ),
            ),
            "EXTENSION_WITH_NO_BASE",
            '[a] Type "T" is an extension type, but there is no type definition for "T" in any '
            "subgraph.",
        ),
        "interface_object_everywhere": (
            sources(
                (
                    "a",
                    fed("2.3", '"@key", "@interfaceObject"')
                    + 'type Query { m: M } type M @key(fields: "id") @interfaceObject { id: ID! }',
                ),
            ),
            "INTERFACE_OBJECT_USAGE_ERROR",
            'Type "M" is declared with @interfaceObject in all the subgraphs in which it is '
            'defined (it is defined in subgraph "a" but should be defined as an interface in at '
            "least one subgraph)",
        ),
        "compose_directive_without_link": (
            sources(
                (
                    "a",
                    fed(
                        "2.3", '"@composeDirective"', ')\n  @composeDirective(name: "@audit"'
                    ).replace("{\n  query", "{\n  query", 1)
                    + "directive @audit on FIELD_DEFINITION\ntype Query { a: Int @audit }",
                ),
            ),
            "DIRECTIVE_COMPOSITION_ERROR",
            'Directive "@audit" in subgraph "a" cannot be composed because it is not a member of a '
            "core feature",
        ),
    }
)

# Failures of ours where @apollo/composition only hints: name -> (subgraphs, code, message).
STRICTER: dict[str, tuple[list[SubgraphSource], str, str]] = {
    "override_from_subgraph_without_the_field": (
        sources(
            (
                "a",
                F + 'type Query { t: T } type T @key(fields: "id") '
                '{ id: ID! x: Int @override(from: "b") }',
            ),
            ("b", F + 'type T @key(fields: "id") { id: ID! }'),
        ),
        "OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
        'Field "T.x" on subgraph "a" no longer exists in the from subgraph. The @override '
        "directive can be removed.",
    ),
    "override_from_unknown_subgraph": (
        sources(
            (
                "a",
                F + 'type Query { t: T } type T @key(fields: "id") '
                '{ id: ID! x: Int @override(from: "bb") }',
            ),
            ("b", F + 'type T @key(fields: "id") { id: ID! }'),
        ),
        "FROM_SUBGRAPH_DOES_NOT_EXIST",
        'Source subgraph "bb" for field "T.x" on subgraph "a" does not exist.',
    ),
}


# -- @authenticated, @requiresScopes and @policy ------------------------------------------------


def auth(version: str = "2.6", imports: str = "") -> str:
    """A header importing the access-control directives (and the usual ones)."""
    extra = imports or '"@authenticated", "@requiresScopes", "@policy"'
    return (
        f'extend schema @link(url: "https://specs.apollo.dev/federation/v{version}", import: '
        f'["@key", "@shareable", "@external", "@requires", "@interfaceObject", "@tag", {extra}])\n'
    )


# Compositions with access-control directives; also compared byte for byte with the reference.
ACCESS_VALID: dict[str, list[SubgraphSource]] = {
    "access_fields_and_types": sources(
        (
            "accounts",
            auth() + "type Query { me: User @authenticated  users: [User!]! "
            '@requiresScopes(scopes: [["read:users"], ["admin"]]) }\n'
            'type User @key(fields: "id") { id: ID! name: String '
            'email: String @requiresScopes(scopes: [["read:email", "read:users"]]) '
            'card: String @policy(policies: [["read_card"]]) }',
        ),
        (
            "billing",
            auth("2.5", '"@authenticated", "@requiresScopes"')
            + "type Query { invoices: [Invoice!]! @authenticated }\n"
            'type Invoice @requiresScopes(scopes: [["billing"]]) { id: ID! total: Int }\n'
            'type User @key(fields: "id") { id: ID! balance: Int @authenticated }',
        ),
    ),
    "access_merged_across_subgraphs": sources(
        (
            "a",
            auth() + 'type Query { shared: Item @shareable @requiresScopes(scopes: [["b", "a"], '
            '["c"]]) @tag(name: "x") other: Secret @shareable }\n'
            'type Item @shareable @requiresScopes(scopes: [["b", "a"], ["c"]]) @policy(policies: '
            '[["p"]]) { id: ID }\n'
            "enum Color @authenticated { RED GREEN }\n"
            'scalar Secret @requiresScopes(scopes: [["s"]])\ntype T { c: Color }',
        ),
        (
            "b",
            auth() + 'type Query { shared: Item @shareable @requiresScopes(scopes: [["d"], ["e"]]) '
            "@authenticated other: Secret @shareable }\n"
            'type Item @shareable @requiresScopes(scopes: [["d"], ["e"]]) @authenticated '
            "{ id: ID }\n"
            'enum Color @requiresScopes(scopes: [["c1"]]) { RED GREEN }\n'
            'scalar Secret @requiresScopes(scopes: [["s"]])',
        ),
        (
            "c",
            auth()
            + 'type Query { shared: Item @shareable @requiresScopes(scopes: [["a", "c"]]) }\n'
            'type Item @shareable @policy(policies: [["q"], ["p"]]) { id: ID }',
        ),
    ),
    "access_interfaces_from_implementations": sources(
        (
            "a",
            auth() + "type Query { node: Node }\ninterface Node { id: ID! f: String }\n"
            'type A implements Node @key(fields: "id") @authenticated { id: ID! '
            'f: String @policy(policies: [["pa"]]) @tag(name: "af") }',
        ),
        (
            "b",
            auth() + "type Query { other: Node }\ninterface Node { id: ID! f: String }\n"
            'type B implements Node @key(fields: "id") @requiresScopes(scopes: [["x"]]) { id: ID! '
            'f: String @policy(policies: [["pb"], ["pc"]]) }\n'
            'type C implements Node @key(fields: "id") @requiresScopes(scopes: [["y"]]) '
            "{ id: ID! f: String }",
        ),
    ),
    "access_interface_object": sources(
        (
            "a",
            auth() + 'type Query { node: Node }\ninterface Node @key(fields: "id") { id: ID! }\n'
            'type A implements Node @key(fields: "id") { id: ID! }\n'
            'type B implements Node @key(fields: "id") @authenticated { id: ID! }',
        ),
        (
            "b",
            auth() + 'type Node @key(fields: "id") @interfaceObject { id: ID! '
            'secret: String @requiresScopes(scopes: [["s"]]) name: String }',
        ),
    ),
    "access_renamed_imports": sources(
        (
            "a",
            auth(
                "2.6",
                '{name: "@authenticated", as: "@auth"}, {name: "@requiresScopes", as: "@scopes"}',
            )
            + 'type Query { a: Int @auth  b: Int @scopes(scopes: [["a"]]) '
            'c: Int @federation__policy(policies: [["p"]]) }',
        ),
        (
            "b",
            auth("2.6", '{name: "@authenticated", as: "@auth"}')
            + 'type Query { d: Int @auth e: Int @federation__policy(policies: [["b"]]) }',
        ),
    ),
    "access_link_order": sources(
        (
            "a",
            auth() + "directive @policy(policies: [[federation__Policy!]!]!) on FIELD_DEFINITION | "
            "OBJECT | INTERFACE | SCALAR | ENUM\nscalar federation__Policy\n"
            'type Query { a: Int @policy(policies: [["x"]]) @tag(name: "t") '
            "b: Int @authenticated }",
        ),
        (
            "b",
            auth() + 'type Query { c: Int @requiresScopes(scopes: [["s"]]) '
            "@federation__inaccessible d: Int }",
        ),
    ),
    "access_requires_with_requirements": sources(
        (
            "a",
            auth() + 'type Query { t: T } type T @key(fields: "id") { id: ID! '
            "secret: String @authenticated }",
        ),
        (
            "b",
            auth() + 'type T @key(fields: "id") { id: ID! secret: String @external '
            'derived: String @requires(fields: "secret") @authenticated }',
        ),
    ),
}
VALID.update(ACCESS_VALID)

INVALID.update(
    {
        "access_on_union": (
            sources(
                ("a", auth() + "type Query { u: U } type A { x: Int } union U @authenticated = A")
            ),
            "INVALID_GRAPHQL",
            '[a] Directive "@authenticated" may not be used on UNION.',
        ),
        "access_on_argument": (
            sources(("a", auth() + "type Query { a(x: Int @authenticated): Int }")),
            "INVALID_GRAPHQL",
            '[a] Directive "@authenticated" may not be used on ARGUMENT_DEFINITION.',
        ),
        "access_repeated": (
            sources(("a", auth() + "type Query { a: Int @authenticated @authenticated }")),
            "INVALID_GRAPHQL",
            '[a] The directive "@authenticated" can only be used once at this location.',
        ),
        "access_scopes_missing": (
            sources(("a", auth() + "type Query { a: Int @requiresScopes }")),
            "INVALID_GRAPHQL",
            '[a] Directive "@requiresScopes" argument "scopes" of type '
            '"[[federation__Scope!]!]!" is required, but it was not provided.',
        ),
        "access_on_interface": (
            sources(
                (
                    "a",
                    auth() + "type Query { i: I } interface I @authenticated { x: Int } "
                    'type A implements I @key(fields: "x") { x: Int }',
                )
            ),
            "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
            '[a] Invalid use of @authenticated on interface "I": @authenticated cannot be applied '
            "on interfaces, interface fields and interface objects",
        ),
        "access_on_interface_field": (
            sources(
                (
                    "a",
                    auth() + 'type Query { i: I } interface I { x: Int @policy(policies: [["p"]]) }'
                    ' type A implements I @key(fields: "x") { x: Int }',
                )
            ),
            "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
            '[a] Invalid use of @policy on field "I.x": @policy cannot be applied on interfaces, '
            "interface fields and interface objects",
        ),
        "access_on_interface_object": (
            sources(
                (
                    "a",
                    auth() + 'type Query { i: I } type I @key(fields: "id") @interfaceObject '
                    '@requiresScopes(scopes: [["s"]]) { id: ID! }',
                ),
                (
                    "b",
                    auth() + 'interface I @key(fields: "id") { id: ID! } '
                    'type A implements I @key(fields: "id") { id: ID! }',
                ),
            ),
            "AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
            '[a] Invalid use of @requiresScopes on interface object "I": @requiresScopes cannot '
            "be applied on interfaces, interface fields and interface objects",
        ),
        "access_policy_before_2_6": (
            sources(("a", auth("2.5", '"@policy"') + "type Query { a: Int }")),
            "INVALID_LINK_DIRECTIVE_USAGE",
            '[a] Cannot import unknown element "@policy".',
        ),
        "access_renamed_differently": (
            sources(
                (
                    "a",
                    auth("2.6", '{name: "@authenticated", as: "@auth"}')
                    + "type Query { a: Int @auth }",
                ),
                ("b", auth("2.5", '"@authenticated"') + "type Query { b: Int @authenticated }"),
            ),
            "LINK_IMPORT_NAME_MISMATCH",
            'The "@authenticated" directive (from https://specs.apollo.dev/federation/v2.6) is '
            'imported with mismatched name between subgraphs: it is imported as "@authenticated" '
            'in subgraph "b" but "@auth" in subgraph "a"',
        ),
        "access_requires_missing_requirements": (
            sources(
                (
                    "a",
                    auth() + 'type Query { t: T } type T @key(fields: "id") { id: ID! '
                    'secret: String @authenticated s: S @requiresScopes(scopes: [["a"]]) }\n'
                    "type S @shareable { x: Int y: Int }",
                ),
                (
                    "b",
                    auth() + 'type T @key(fields: "id") { id: ID! secret: String @external '
                    's: S @external derived: String @requires(fields: "s { y } secret") '
                    '@requiresScopes(scopes: [["a"]]) }\n'
                    "type S @shareable { x: Int y: Int }",
                ),
            ),
            "MISSING_TRANSITIVE_AUTH_REQUIREMENTS",
            '[b] Field "T.derived" does not specify necessary @authenticated, @requiresScopes '
            'and/or @policy auth requirements to access the transitive field "T.secret" data from '
            "@requires selection set.",
        ),
    }
)

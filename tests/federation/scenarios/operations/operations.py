# ruff: noqa: E501  (GraphQL documents read better on one line)
from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "named_and_inline_fragments",
        """query Q { users { ...UserBits posts { ... on Post { title } } } }
           fragment UserBits on User { id ... on User { name } }""",
        requests={"users": 1, "posts": 1},
    ),
    Operation(
        "aliases_same_field_different_arguments",
        """{ ada: user(id: "u1") { name } grace: user(id: "u3") { name } }""",
        requests={"users": 1},
    ),
    Operation(
        "aliases_on_entity_field_from_other_graph",
        """{ user(id: "u3") { one: posts(first: 1) { title } all: posts(first: 5) { id }
                               name formal: greeting(formal: true) informal: greeting } }""",
        requests={"users": 1, "posts": 1},
    ),
    Operation(
        "alias_shadowing_field_name",
        """{ users(first: 1) { id: name name: id } }""",
    ),
    Operation(
        "variables_with_defaults",
        """query ($first: Int = 2, $n: Int) { users(first: $first) { name posts(first: $n) { title } } }""",
        variables={"n": 1},
    ),
    Operation(
        "skip_and_include_with_variables_true",
        """query ($withPosts: Boolean!, $noName: Boolean!) {
             users { id name @skip(if: $noName) posts @include(if: $withPosts) { title } } }""",
        variables={"withPosts": True, "noName": False},
        requests={"users": 1, "posts": 1},
    ),
    Operation(
        "skip_and_include_with_variables_false",
        """query ($withPosts: Boolean!, $noName: Boolean!) {
             users { id name @skip(if: $noName) posts @include(if: $withPosts) { title } } }""",
        variables={"withPosts": False, "noName": True},
    ),
    Operation(
        "include_on_fragment_with_default_variable",
        """query ($detail: Boolean = false) { posts { id ... on Post @include(if: $detail) { author { name } } } }""",
        requests={"posts": 1},
    ),
    Operation(
        "root_typename_without_subgraph",
        "{ __typename }",
        requests={},
    ),
    Operation(
        "typename_everywhere",
        "{ __typename posts { __typename author { __typename name } } }",
    ),
    Operation(
        "operation_name_selects",
        "query A { users { id } } query B { posts { id } }",
        operation_name="B",
        requests={"posts": 1},
    ),
    Operation(
        "mutations_in_document_order",
        """mutation {
             a: setNickname(id: "m1", nickname: "first") { nickname }
             b: setTitle(id: "mp1", title: "Draft 2") { title }
             c: setNickname(id: "m1", nickname: "second") { nickname }
             d: setTitle(id: "mp1", title: "Draft 3") { title author { nickname } }
           }""",
        # Strictly one after the other, in document order; d's author is fetched after d.
        order=["users", "posts", "users", "posts", "users"],
    ),
)

"""@authenticated, @requiresScopes and @policy through the pipeline: unauthorised fields are
taken out before planning, answered null with UNAUTHORIZED_FIELD_OR_TYPE errors (null
propagation included), and the rest of the operation still runs."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from graphql import parse

from gateway.planning import normalize_operation
from gateway.policy.authorization import Caller
from tests.support.supergraphs import load

from .authorization_support import Subgraphs, gateway, identity, run


def unauthorized(*path: str | int) -> dict[str, Any]:
    return {
        "message": "Unauthorized field or type",
        "path": list(path),
        "extensions": {"code": "UNAUTHORIZED_FIELD_OR_TYPE"},
    }


@pytest.fixture
def subgraphs() -> Subgraphs:
    return Subgraphs()


async def test_anonymous_callers_get_nulls_for_protected_fields_and_the_rest(
    subgraphs: Subgraphs,
) -> None:
    answer = await run(gateway(subgraphs), '{ me { name } user(id: "u1") { name email } }')
    assert answer == {
        "data": {"me": None, "user": {"name": "Ada", "email": None}},
        "errors": [unauthorized("me"), unauthorized("user", "email")],
    }


async def test_a_caller_with_the_scope_sees_everything(subgraphs: Subgraphs) -> None:
    caller = identity("user", scopes=("read:email",))
    answer = await run(gateway(subgraphs), '{ me { name } user(id: "u1") { email } }', caller)
    assert answer == {"data": {"me": {"name": "Ada"}, "user": {"email": "ada@example.com"}}}


async def test_scopes_are_alternatives_of_sets(subgraphs: Subgraphs) -> None:
    # users: [["read:users"], ["admin"]]; invoices: [["billing", "read:invoices"], ["admin"]]
    gate = gateway(subgraphs)
    query = '{ users { name } user(id: "u1") { invoices { total } } }'
    partial = await run(gate, query, identity("user", scopes=("read:users", "billing")))
    assert partial["data"] == {"users": [{"name": "Ada"}, {"name": "Bob"}], "user": None}
    assert partial["errors"] == [unauthorized("user", "invoices")]
    both = await run(
        gate, query, identity("user", scopes=("billing", "read:invoices", "read:users"))
    )
    assert both == {
        "data": {"users": [{"name": "Ada"}, {"name": "Bob"}], "user": {"invoices": [{"total": 7}]}}
    }
    admin = await run(gate, query, identity("admin"))
    assert "errors" not in admin


async def test_a_null_for_a_non_null_field_propagates_to_the_nearest_nullable_parent(
    subgraphs: Subgraphs,
) -> None:
    answer = await run(
        gateway(subgraphs), '{ user(id: "u1") { name ssn } plans { name } }', identity("user")
    )
    assert answer == {
        "data": {"user": None, "plans": [{"name": "Basic"}]},
        "errors": [unauthorized("user", "ssn")],
    }


async def test_propagation_through_non_null_lists_can_null_all_data(subgraphs: Subgraphs) -> None:
    # plans: [Plan!]!, Plan.tier: Tier! with `enum Tier @signedIn`.
    answer = await run(gateway(subgraphs), "{ plans { name tier } }")
    assert answer == {"data": None, "errors": [unauthorized("plans", 0, "tier")]}


async def test_requirements_on_types_apply_where_the_type_is_returned(subgraphs: Subgraphs) -> None:
    gate = gateway(subgraphs, {"read_audit": ["admin"]})
    query = '{ user(id: "u1") { name audit { entries } } plans { price } }'
    anonymous = await run(gate, query)
    assert anonymous["data"] == {
        "user": {"name": "Ada", "audit": None},
        "plans": [{"price": None}],
    }
    assert anonymous["errors"] == [unauthorized("user", "audit"), unauthorized("plans", 0, "price")]
    # Money needs the billing scope, Plan.price a signed-in caller, AuditTrail the policy.
    admin = await run(gate, query, identity("admin", scopes=("billing",)))
    assert admin == {
        "data": {"user": {"name": "Ada", "audit": {"entries": ["login"]}}, "plans": [{"price": 10}]}
    }


async def test_an_unauthorized_field_of_another_subgraph_costs_no_request_to_it(
    subgraphs: Subgraphs,
) -> None:
    answer = await run(gateway(subgraphs), '{ user(id: "u1") { name balance } }')
    assert answer == {
        "data": {"user": {"name": "Ada", "balance": None}},
        "errors": [unauthorized("user", "balance")],
    }
    assert [r.subgraph for r in subgraphs.requests] == ["accounts"]


async def test_when_every_root_field_is_removed_no_subgraph_is_called(
    subgraphs: Subgraphs,
) -> None:
    answer = await run(gateway(subgraphs), '{ me { name } secret: user(id: "u1") { ssn } }')
    assert answer == {
        "data": {"me": None, "secret": None},
        "errors": [unauthorized("me"), unauthorized("secret", "ssn")],
    }
    answer = await run(gateway(subgraphs), '{ me { name email } organization(id: "o1") { id } }')
    assert answer["data"] == {"me": None, "organization": None}
    assert subgraphs.requests[1:] == []


async def test_every_field_of_a_selection_removed_keeps_the_parent(subgraphs: Subgraphs) -> None:
    answer = await run(gateway(subgraphs), '{ user(id: "u2") { manager { email } } }')
    assert answer == {
        "data": {"user": {"manager": {"email": None}}},
        "errors": [unauthorized("user", "manager", "email")],
    }


async def test_aliases_skip_and_include_are_honoured(subgraphs: Subgraphs) -> None:
    query = (
        "query ($with: Boolean!) { mine: me @include(if: $with) { name } "
        'u: user(id: "u1") { mail: email @skip(if: $with) name } }'
    )
    gate = gateway(subgraphs)
    shown = await run(gate, query, variables={"with": False})
    assert shown == {
        "data": {"u": {"mail": None, "name": "Ada"}},
        "errors": [unauthorized("u", "mail")],
    }
    hidden = await run(gate, query, variables={"with": True})
    assert hidden == {
        "data": {"mine": None, "u": {"name": "Ada"}},
        "errors": [unauthorized("mine")],
    }


async def test_a_fragment_on_an_unauthorized_type_is_taken_out(subgraphs: Subgraphs) -> None:
    query = '{ search(text: "a") { __typename ... on User { name } ... on Organization { name } } }'
    answer = await run(gateway(subgraphs), query)
    # As Router: the fragment is removed, so the organization keeps only what else was asked.
    assert answer == {
        "data": {"search": [{"__typename": "User", "name": "Ada"}, {"__typename": "Organization"}]},
        "errors": [unauthorized("search", 1)],
    }
    signed_in = await run(gateway(subgraphs), query, identity("user"))
    assert signed_in["data"]["search"][1] == {"__typename": "Organization", "name": "Acme"}


async def test_named_fragments_are_filtered_where_they_are_spread(subgraphs: Subgraphs) -> None:
    query = (
        'query { search(text: "a") { ...O ...U } first: user(id: "u1") { ...U } }\n'
        "fragment O on Organization { name website }\nfragment U on User { name email }"
    )
    answer = await run(gateway(subgraphs), query)
    assert answer == {
        "data": {
            "search": [{"name": "Ada", "email": None}, {}],
            "first": {"name": "Ada", "email": None},
        },
        "errors": [
            unauthorized("search", 0, "email"),
            unauthorized("search", 1),
            unauthorized("first", "email"),
        ],
    }


async def test_a_fragment_on_an_interface_is_checked_where_normalisation_flattens_it(
    subgraphs: Subgraphs,
) -> None:
    # Node carries Organization's @signedIn (composition): the fragment goes, inside a User too,
    # though the normalised operation splices `... on Node` into the User's selections.
    query = '{ user(id: "u1") { ... on Node { id } name } }'
    assert await run(gateway(subgraphs), query) == {
        "data": {"user": {"name": "Ada"}},
        "errors": [unauthorized("user")],
    }
    answer = await run(gateway(subgraphs), query, identity("user"))
    assert answer == {"data": {"user": {"id": "u1", "name": "Ada"}}}


async def test_one_response_key_may_be_unauthorized_for_one_type_only(
    subgraphs: Subgraphs,
) -> None:
    query = (
        '{ search(text: "a") { ... on User { contact: email } '
        "... on Organization { contact: website } } }"
    )
    answer = await run(gateway(subgraphs), query, identity("user"))
    assert answer == {
        "data": {"search": [{"contact": None}, {"contact": "acme.example"}]},
        "errors": [unauthorized("search", 0, "contact")],
    }


async def test_an_interface_carries_its_implementations_requirements(
    subgraphs: Subgraphs,
) -> None:
    # Composition put Organization's @signedIn on Node: node needs a signed-in caller.
    query = '{ node(id: "u1") { id ... on User { name } } }'
    assert await run(gateway(subgraphs), query) == {
        "data": {"node": None},
        "errors": [unauthorized("node")],
    }
    answer = await run(gateway(subgraphs), query, identity("user"))
    assert answer == {"data": {"node": {"id": "u1", "name": "Ada"}}}


async def test_typename_and_introspection_always_stay(subgraphs: Subgraphs) -> None:
    answer = await run(
        gateway(subgraphs), '{ __typename me { name } __type(name: "User") { name } }'
    )
    assert answer == {
        "data": {"__typename": "Query", "me": None, "__type": {"name": "User"}},
        "errors": [unauthorized("me")],
    }


async def test_mutations_without_the_scope_are_not_sent(subgraphs: Subgraphs) -> None:
    query = 'mutation { renameUser(id: "u1", name: "Eve") { name } ping }'
    answer = await run(gateway(subgraphs), query, identity("user"))
    assert answer == {
        "data": {"renameUser": None, "ping": "pong"},
        "errors": [unauthorized("renameUser")],
    }
    assert all("renameUser" not in r.query for r in subgraphs.requests)
    allowed = await run(gateway(subgraphs), query, identity("user", scopes=("write:users",)))
    assert allowed == {"data": {"renameUser": {"name": "Eve"}, "ping": "pong"}}


async def test_policies_are_granted_by_role(subgraphs: Subgraphs) -> None:
    gate = gateway(subgraphs, {"read_pii": ["admin", "service"]})
    query = '{ user(id: "u1") { ssn } }'
    assert (await run(gate, query, identity("service")))["data"] == {"user": {"ssn": "111"}}
    user = await run(gate, query, identity("user"))
    assert user == {"data": {"user": None}, "errors": [unauthorized("user", "ssn")]}


async def test_decisions_are_cached_per_kind_of_caller_and_plans_per_outcome(
    subgraphs: Subgraphs,
) -> None:
    gate = gateway(subgraphs)
    query = '{ user(id: "u1") { name email } }'
    await run(gate, query)
    await run(gate, query)
    # Another user with the same scopes is the same kind of caller; an unused scope changes
    # nothing either.
    await run(gate, query, identity("user", user_id=1))
    await run(gate, query, identity("user", scopes=("unrelated",), user_id=2))
    await run(gate, query, identity("user", scopes=("read:email",)))
    assert gate.authorizations.misses == 3
    assert gate.authorizations.hits == 2
    # Anonymous and signed-in callers lose the same field: one plan; with the scope: another.
    assert len(gate.plans) == 2


def test_the_caller_is_reduced_to_what_the_supergraph_asks(subgraphs: Subgraphs) -> None:
    gate = gateway(subgraphs, {"read_pii": ["admin"], "read_audit": ["user"]})
    rules = gate.authorization
    assert rules is not None
    assert rules.caller(None) == Caller()
    assert rules.caller(identity("admin", scopes=("read:email", "other"))) == Caller(
        authenticated=True,
        scopes=frozenset({"read:email", "admin"}),
        policies=frozenset({"read_pii"}),
    )


def test_a_supergraph_without_requirements_costs_nothing(subgraphs: Subgraphs) -> None:
    gate = gateway(subgraphs, loaded=load("users_orders.graphql"))
    assert gate.authorization is None


def test_policies_without_a_rule_are_logged_once_at_load(
    subgraphs: Subgraphs, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="gateway.policy.authorization"):
        gateway(subgraphs, {"read_audit": ["admin"]})
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1
    assert messages[0].endswith("they are granted to nobody: read_pii")


async def test_an_operation_is_normalised_once_for_every_kind_of_caller(
    subgraphs: Subgraphs,
) -> None:
    gate = gateway(subgraphs)
    query = 'query A { user(id: "u1") { name email } } query B { plans { name } }'
    for caller in (None, identity("user"), identity("user", scopes=("read:email",))):
        await run(gate, query, caller, operation_name="A")
    await run(gate, query, operation_name="B")
    # One normalisation per (document, operation name), shared by every kind of caller.
    assert (gate.operations.misses, gate.operations.hits) == (2, 2)
    # Once each caller's decision and the plans are cached, the operation is not looked up.
    for caller in (None, identity("user"), identity("user", scopes=("read:email",))):
        await run(gate, query, caller, operation_name="A")
    assert (gate.operations.misses, gate.operations.hits) == (2, 2)


def test_callers_losing_the_same_fields_share_the_variant(subgraphs: Subgraphs) -> None:
    gate = gateway(subgraphs)
    rules = gate.authorization
    assert rules is not None
    operation = normalize_operation(
        parse('{ user(id: "u1") { name email } }'), None, gate.supergraph.schema
    )
    anonymous = rules.authorize(operation, Caller())
    signed_in = rules.authorize(operation, Caller(authenticated=True))
    scoped = rules.authorize(operation, Caller(True, frozenset({"read:email"})))
    assert anonymous.variant == signed_in.variant == "user:email:email:0"
    assert anonymous.operation == signed_in.operation
    assert (scoped.variant, scoped.removals, scoped.operation) == ("", None, operation)

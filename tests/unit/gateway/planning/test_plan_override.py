"""Plans with @override: the new graph resolves the field; progressive labels decide per plan."""

from __future__ import annotations

from graphql import parse

from gateway.planning import enabled_override_labels, override_labels, plan_operation
from tests.support.supergraphs import load


def test_an_overridden_field_and_a_disabled_label_stay_in_place() -> None:
    """stock moved to catalog for good; price moves only when percent(25) is enabled."""
    query = """
    {
      product(id: "1") {
        name
        price
        stock
        currency
      }
    }
    """
    plan = plan_operation(load("override.graphql"), parse(query))
    assert (
        str(plan)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "catalog") {
      {
        product(id: "1") {
          __typename
          name
          id
          stock
        }
      }
    },
    Flatten(path: "product") {
      Fetch(service: "billing") {
        {
          ... on Product {
            __typename
            id
          }
        } =>
        {
          ... on Product {
            price
            currency
          }
        }
      },
    },
  },
}"""
    )


def test_an_enabled_label_moves_the_field_to_the_overriding_graph() -> None:
    query = """
    {
      product(id: "1") {
        name
        price
        stock
        currency
      }
    }
    """
    plan = plan_operation(
        load("override.graphql"), parse(query), enabled_override_labels=["percent(25)"]
    )
    assert (
        str(plan)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "catalog") {
      {
        product(id: "1") {
          __typename
          name
          price
          stock
          id
        }
      }
    },
    Flatten(path: "product") {
      Fetch(service: "billing") {
        {
          ... on Product {
            __typename
            id
          }
        } =>
        {
          ... on Product {
            currency
          }
        }
      },
    },
  },
}"""
    )


def test_percent_labels_are_drawn_from_the_injected_random_source() -> None:
    supergraph = load("override.graphql")
    assert override_labels(supergraph) == {"percent(25)"}
    assert enabled_override_labels(supergraph, (), lambda: 0.2) == {"percent(25)"}
    assert enabled_override_labels(supergraph, (), lambda: 0.3) == frozenset()

"""Plans with @shareable root and entity fields: the graph resolving most of the selection wins."""

from __future__ import annotations

from graphql import parse

from gateway.planning import plan_operation
from tests.support.supergraphs import load
from tests.unit.gateway.planning.conftest import fetch_count


def test_a_shareable_root_field_goes_where_the_whole_selection_resolves() -> None:
    query = """
    {
      topProducts {
        name
        stock
      }
    }
    """
    plan = plan_operation(load("shareable.graphql"), parse(query))
    assert (
        str(plan)
        == """\
QueryPlan {
  Fetch(service: "stock") {
    {
      topProducts {
        name
        stock
      }
    }
  },
}"""
    )


def test_the_other_graph_wins_for_the_other_selection() -> None:
    query = """
    {
      topProducts {
        price
        name
      }
    }
    """
    plan = plan_operation(load("shareable.graphql"), parse(query))
    assert (
        str(plan)
        == """\
QueryPlan {
  Fetch(service: "pricing") {
    {
      topProducts {
        price
        name
      }
    }
  },
}"""
    )


def test_shareable_entity_fields_join_the_entity_fetch_of_their_siblings() -> None:
    query = """
    {
      reviews {
        product {
          name
          stock
        }
      }
    }
    """
    plan = plan_operation(load("shareable.graphql"), parse(query))
    assert fetch_count(plan) == 2
    assert (
        str(plan)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "reviews") {
      {
        reviews {
          product {
            __typename
            id
          }
        }
      }
    },
    Flatten(path: "reviews.@.product") {
      Fetch(service: "stock") {
        {
          ... on Product {
            __typename
            id
          }
        } =>
        {
          ... on Product {
            name
            stock
          }
        }
      },
    },
  },
}"""
    )

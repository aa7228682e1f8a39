"""Plans with @requires: required fields fetched first, then sent in the representation."""

from __future__ import annotations

from graphql import parse

from gateway.planning import plan_operation
from tests.support.supergraphs import load
from tests.unit.gateway.planning.conftest import fetch_count, step_count


def test_required_nested_fields_and_fields_with_arguments_come_from_the_parent_fetch() -> None:
    query = """
    {
      products {
        name
        shippingEstimate
      }
    }
    """
    plan = plan_operation(load("requires.graphql"), parse(query))
    assert (
        str(plan)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "products") {
      {
        products {
          __typename
          name
          id
          dimensions {
            size
            weight
          }
          price(currency: "USD")
        }
      }
    },
    Flatten(path: "products.@") {
      Fetch(service: "shipping") {
        {
          ... on Product {
            __typename
            id
            dimensions {
              size
              weight
            }
            price(currency: "USD")
          }
        } =>
        {
          ... on Product {
            shippingEstimate
          }
        }
      },
    },
  },
}"""
    )


def test_required_inline_fragments_and_requires_of_requires_chain_after_each_other() -> None:
    """tax requires shippingEstimate, which requires products data: three steps."""
    query = """
    {
      products {
        tax
        mediaNote
      }
    }
    """
    plan = plan_operation(load("requires.graphql"), parse(query))
    assert step_count(plan) == 3 and fetch_count(plan) == 3
    assert (
        str(plan)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "products") {
      {
        products {
          __typename
          id
          dimensions {
            size
            weight
          }
          price(currency: "USD")
          media {
            __typename
            ... on Book {
              isbn
            }
          }
        }
      }
    },
    Flatten(path: "products.@") {
      Fetch(service: "shipping") {
        {
          ... on Product {
            __typename
            id
            dimensions {
              size
              weight
            }
            price(currency: "USD")
            media {
              __typename
              ... on Book {
                isbn
              }
            }
          }
        } =>
        {
          ... on Product {
            shippingEstimate
            mediaNote
          }
        }
      },
    },
    Flatten(path: "products.@") {
      Fetch(service: "tax") {
        {
          ... on Product {
            __typename
            id
            shippingEstimate
          }
        } =>
        {
          ... on Product {
            tax
          }
        }
      },
    },
  },
}"""
    )

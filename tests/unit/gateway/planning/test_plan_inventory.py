"""Plans over a four-graph supergraph: hops through a third graph, multiple and compound keys."""

from __future__ import annotations

from collections.abc import Callable

from gateway.supergraph import Supergraph

PlanText = Callable[..., str]


def test_a_hop_through_a_third_graph_and_a_nested_compound_key(
    inventory: Supergraph, plan_text: PlanText
) -> None:
    query = """
    {
      products {
        name
        inStock
        reviews {
          body
        }
      }
    }
    """
    assert (
        plan_text(inventory, query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "catalog") {
      {
        products {
          __typename
          name
          upc
          region {
            code
          }
        }
      }
    },
    Parallel {
      Flatten(path: "products.@") {
        Fetch(service: "skus") {
          {
            ... on Product {
              __typename
              upc
            }
          } =>
          {
            ... on Product {
              __typename
              sku
            }
          }
        },
      },
      Flatten(path: "products.@") {
        Fetch(service: "reviews") {
          {
            ... on Product {
              __typename
              upc
              region {
                code
              }
            }
          } =>
          {
            ... on Product {
              reviews {
                body
              }
            }
          }
        },
      },
    },
    Flatten(path: "products.@") {
      Fetch(service: "inventory") {
        {
          ... on Product {
            __typename
            sku
          }
        } =>
        {
          ... on Product {
            inStock
          }
        }
      },
    },
  },
}"""
    )


def test_fields_local_to_the_current_graph_stay_in_its_fetch(
    inventory: Supergraph, plan_text: PlanText
) -> None:
    query = """
    {
      topReviews {
        body
        product {
          name
          reviews {
            id
          }
        }
      }
    }
    """
    assert (
        plan_text(inventory, query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "reviews") {
      {
        topReviews {
          body
          product {
            __typename
            upc
            reviews {
              id
            }
          }
        }
      }
    },
    Flatten(path: "topReviews.@.product") {
      Fetch(service: "catalog") {
        {
          ... on Product {
            __typename
            upc
          }
        } =>
        {
          ... on Product {
            name
          }
        }
      },
    },
  },
}"""
    )

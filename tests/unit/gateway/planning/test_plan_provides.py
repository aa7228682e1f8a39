"""Plans over the benchmark supergraph (Fed1, @requires, @provides): provided fields stay local."""

from __future__ import annotations

from graphql import parse

from gateway.planning import plan_operation
from tests.unit.gateway.planning.conftest import FIXTURES, fetch_count, load, step_count


def test_provided_username_needs_no_entity_fetch_but_name_does() -> None:
    query = """
    {
      topProducts {
        reviews {
          author {
            username
            name
          }
        }
      }
    }
    """
    plan = plan_operation(load("benchmark.graphql"), parse(query))
    assert (
        str(plan)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "products") {
      {
        topProducts {
          __typename
          upc
        }
      }
    },
    Flatten(path: "topProducts.@") {
      Fetch(service: "reviews") {
        {
          ... on Product {
            __typename
            upc
          }
        } =>
        {
          ... on Product {
            reviews {
              author {
                __typename
                username
                id
              }
            }
          }
        }
      },
    },
    Flatten(path: "topProducts.@.reviews.@.author") {
      Fetch(service: "accounts") {
        {
          ... on User {
            __typename
            id
          }
        } =>
        {
          ... on User {
            name
          }
        }
      },
    },
  },
}"""
    )


def test_provided_fields_alone_need_no_entity_fetch() -> None:
    query = """
    {
      topProducts {
        reviews {
          author {
            id
            username
          }
        }
      }
    }
    """
    plan = plan_operation(load("benchmark.graphql"), parse(query))
    assert fetch_count(plan) == 2
    assert (
        str(plan)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "products") {
      {
        topProducts {
          __typename
          upc
        }
      }
    },
    Flatten(path: "topProducts.@") {
      Fetch(service: "reviews") {
        {
          ... on Product {
            __typename
            upc
          }
        } =>
        {
          ... on Product {
            reviews {
              author {
                id
                username
              }
            }
          }
        }
      },
    },
  },
}"""
    )


def test_the_benchmark_query_plans_to_six_fetches_in_four_steps() -> None:
    query = (FIXTURES / "benchmark_query.graphql").read_text()
    plan = plan_operation(load("benchmark.graphql"), parse(query))
    assert fetch_count(plan) == 6
    assert step_count(plan) == 4
    assert str(plan).count('Fetch(service: "inventory")') == 1

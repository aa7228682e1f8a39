"""Plans with @skip/@include on variables: Condition nodes around the fetches hanging off them."""

from __future__ import annotations

from graphql import parse

from gateway.planning import plan_operation
from tests.support.supergraphs import load


def test_a_dependent_fetch_under_a_conditional_field_becomes_a_condition() -> None:
    query = """
    query ($x: Boolean!) {
      orders {
        items {
          id
          user @include(if: $x) {
            name
          }
        }
      }
    }
    """
    plan = plan_operation(load("users_orders.graphql"), parse(query))
    assert (
        str(plan)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "orders") {
      {
        orders {
          items {
            id
            user @include(if: $x) {
              __typename
              id
            }
          }
        }
      }
    },
    Condition(if: $x) {
      Then {
        Flatten(path: "orders.items.@.user") {
          Fetch(service: "users") {
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
      }
    },
  },
}"""
    )


def test_skip_puts_the_fetch_in_the_else_branch_and_leaves_stay_directives() -> None:
    query = """
    query ($x: Boolean!, $y: Boolean!) {
      orders {
        items {
          user @skip(if: $x) {
            name
            email @include(if: $y)
          }
        }
      }
    }
    """
    plan = plan_operation(load("users_orders.graphql"), parse(query))
    assert (
        str(plan)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "orders") {
      {
        orders {
          items {
            user @skip(if: $x) {
              __typename
              id
            }
          }
        }
      }
    },
    Condition(if: $x) {
      Else {
        Flatten(path: "orders.items.@.user") {
          Fetch(service: "users") {
            {
              ... on User {
                __typename
                id
              }
            } =>
            {
              ... on User {
                name
                email @include(if: $y)
              }
            }
          },
        },
      }
    },
  },
}"""
    )


def test_a_root_fetch_whose_fields_all_hang_off_a_condition_is_conditional() -> None:
    query = """
    query ($x: Boolean!) {
      user(id: "1") @include(if: $x) {
        name
      }
      orders {
        items {
          id
        }
      }
    }
    """
    plan = plan_operation(load("users_orders.graphql"), parse(query))
    assert (
        str(plan)
        == """\
QueryPlan {
  Parallel {
    Condition(if: $x) {
      Then {
        Fetch(service: "users") {
          {
            user(id: "1") @include(if: $x) {
              name
            }
          }
        },
      }
    },
    Fetch(service: "orders") {
      {
        orders {
          items {
            id
          }
        }
      }
    },
  },
}"""
    )

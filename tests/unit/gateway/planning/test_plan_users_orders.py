"""Plans over the users/orders supergraph: entity fetches, parallel roots, mutations, fragments,
conditions and aliases."""

from __future__ import annotations

from collections.abc import Callable

from gateway.supergraph import Supergraph

PlanText = Callable[..., str]


def test_orders_with_users_is_one_orders_fetch_then_one_users_entity_fetch(
    users_orders: Supergraph, plan_text: PlanText
) -> None:
    query = """
    {
      orders(page: 1, pageSize: 5) {
        items {
          id
          status
          totalPrice
          user {
            id
            name
            email
          }
        }
        pageInfo {
          page
          pageSize
          totalPages
          totalCount
        }
      }
    }
    """
    assert (
        plan_text(users_orders, query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "orders") {
      {
        orders(page: 1, pageSize: 5) {
          items {
            id
            status
            totalPrice
            user {
              __typename
              id
            }
          }
          pageInfo {
            page
            pageSize
            totalPages
            totalCount
          }
        }
      }
    },
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
            email
          }
        }
      },
    },
  },
}"""
    )


def test_root_fields_of_different_graphs_run_in_parallel(
    users_orders: Supergraph, plan_text: PlanText
) -> None:
    query = """
    {
      user(id: "1") {
        name
      }
      orders {
        items {
          id
        }
      }
      users {
        email
      }
    }
    """
    assert (
        plan_text(users_orders, query)
        == """\
QueryPlan {
  Parallel {
    Fetch(service: "users") {
      {
        user(id: "1") {
          name
        }
        users {
          email
        }
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


def test_mutations_run_in_document_order_one_fetch_per_same_graph_run(
    users_orders: Supergraph, plan_text: PlanText
) -> None:
    query = """
    mutation M {
      a: createUser(name: "a", email: "e") {
        id
        name
        orders {
          id
        }
      }
      b: renameUser(id: "1", name: "x") {
        id
      }
      createOrder(userId: "1", totalPrice: 2) {
        id
        user {
          name
        }
      }
      confirmOrder(id: "2") {
        status
      }
    }
    """
    assert (
        plan_text(users_orders, query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "users") {
      mutation {
        a: createUser(name: "a", email: "e") {
          __typename
          id
          name
        }
        b: renameUser(id: "1", name: "x") {
          id
        }
      }
    },
    Flatten(path: "a") {
      Fetch(service: "orders") {
        {
          ... on User {
            __typename
            id
          }
        } =>
        {
          ... on User {
            orders {
              id
            }
          }
        }
      },
    },
    Fetch(service: "orders") {
      mutation {
        createOrder(userId: "1", totalPrice: 2) {
          id
          user {
            __typename
            id
          }
        }
        confirmOrder(id: "2") {
          status
        }
      }
    },
    Flatten(path: "createOrder.user") {
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
  },
}"""
    )


def test_fragments_are_inlined_and_constant_conditions_folded(
    users_orders: Supergraph, plan_text: PlanText
) -> None:
    query = """
    query Q($withEmail: Boolean!) {
      orders {
        items {
          ...O
          user {
            ... on User {
              name
              email @include(if: $withEmail)
            }
          }
        }
      }
    }

    fragment O on Order {
      id
      status @skip(if: true)
      totalPrice @include(if: true)
    }
    """
    assert (
        plan_text(users_orders, query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "orders") {
      {
        orders {
          items {
            id
            totalPrice
            user {
              __typename
              id
            }
          }
        }
      }
    },
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
            email @include(if: $withEmail)
          }
        }
      },
    },
  },
}"""
    )


def test_aliases_are_kept_in_subgraph_operations(
    users_orders: Supergraph, plan_text: PlanText
) -> None:
    query = """
    {
      first: order(id: "1") {
        ref: id
        buyer: user {
          fullName: name
        }
      }
      second: order(id: "2") {
        id
      }
    }
    """
    assert (
        plan_text(users_orders, query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "orders") {
      {
        first: order(id: "1") {
          ref: id
          buyer: user {
            __typename
            id
          }
        }
        second: order(id: "2") {
          id
        }
      }
    },
    Flatten(path: "first.buyer") {
      Fetch(service: "users") {
        {
          ... on User {
            __typename
            id
          }
        } =>
        {
          ... on User {
            fullName: name
          }
        }
      },
    },
  },
}"""
    )


def test_a_key_field_clashing_with_a_client_alias_is_fetched_under_another_alias(
    users_orders: Supergraph, plan_text: PlanText
) -> None:
    query = """
    {
      order(id: "1") {
        user {
          id: orders {
            status
          }
          name
        }
      }
    }
    """
    assert (
        plan_text(users_orders, query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "orders") {
      {
        order(id: "1") {
          user {
            __typename
            id: orders {
              status
            }
            _id1: id
          }
        }
      }
    },
    Flatten(path: "order.user") {
      Fetch(service: "users") {
        {
          ... on User {
            __typename
            _id1: id
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

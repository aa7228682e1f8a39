"""Plans over the benchmark supergraph (Fed1, @requires, @provides): provided fields stay local."""

from __future__ import annotations

from graphql import parse

from gateway.planning import plan_operation
from gateway.planning.graph import Vertex, query_graph
from tests.support.supergraphs import BENCHMARK, load, load_benchmark, load_scenario
from tests.unit.gateway.planning.conftest import fetch_count, step_count


def test_an_external_field_a_provides_names_is_a_provided_edge_of_the_query_graph() -> None:
    # The walk follows it only under `Review.author`, whose `@provides` names `username`.
    graph = query_graph(load_benchmark())
    user_in_reviews = Vertex("User", "reviews")
    assert graph.provided_edge(user_in_reviews, "username") is not None
    assert graph.field_edge(user_in_reviews, "username") is None
    assert graph.provided_edge(Vertex("User", "accounts"), "username") is None


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
    plan = plan_operation(load_benchmark(), parse(query))
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
    plan = plan_operation(load_benchmark(), parse(query))
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
    query = (BENCHMARK / "query.graphql").read_text()
    plan = plan_operation(load_benchmark(), parse(query))
    assert fetch_count(plan) == 6
    assert step_count(plan) == 4
    assert str(plan).count('Fetch(service: "inventory")') == 1


# provides_abstract.graphql: `shelf: [Media!]!` provides `... on Book { title }` and
# `picks: [Pick!]!` (a union) provides `... on Movie { title }`; `catalog` resolves every title.


def test_provides_on_an_interface_field_covers_only_its_type_condition() -> None:
    query = "{ shelf { id ... on Book { title } ... on Movie { title } } }"
    plan = str(plan_operation(load("provides_abstract.graphql"), parse(query)))
    assert (
        plan
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "shelf") {
      {
        shelf {
          __typename
          id
          ... on Book {
            title
          }
          ... on Movie {
            __typename
            id
          }
        }
      }
    },
    Flatten(path: "shelf.@") {
      Fetch(service: "catalog") {
        {
          ... on Movie {
            __typename
            id
          }
        } =>
        {
          ... on Movie {
            title
          }
        }
      },
    },
  },
}"""
    )


def test_provides_on_a_union_field_covers_only_its_type_condition() -> None:
    query = "{ picks { ... on Book { title pages } ... on Movie { title } } }"
    plan = str(plan_operation(load("provides_abstract.graphql"), parse(query)))
    assert (
        plan
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "shelf") {
      {
        picks {
          __typename
          ... on Book {
            __typename
            id
          }
          ... on Movie {
            title
          }
        }
      }
    },
    Flatten(path: "picks.@") {
      Fetch(service: "catalog") {
        {
          ... on Book {
            __typename
            id
          }
        } =>
        {
          ... on Book {
            title
            pages
          }
        }
      },
    },
  },
}"""
    )


# The scenario `provides_detours`: the reviews know photos and videos by
# id, the studio only by code and sku, the media subgraph by all three; `Review.media` provides
# every `url`, `Review.clip` provides the video's `sku`.


def test_an_interface_member_under_a_provides_detours_for_what_is_not_provided() -> None:
    query = "{ topReviews { media { url ... on Video { seconds } } } }"
    plan = plan_operation(load_scenario("provides_detours"), parse(query))
    services = [line.strip() for line in str(plan).splitlines() if "Fetch(service" in line]
    assert services == [
        'Fetch(service: "reviews") {',
        'Fetch(service: "media") {',
        'Fetch(service: "studio") {',
    ]
    assert step_count(plan) == 3


def test_a_key_field_a_provides_gives_lets_the_walk_jump_straight_to_the_key_owner() -> None:
    query = "{ topReviews { clip { seconds } } }"
    plan = str(plan_operation(load_scenario("provides_detours"), parse(query)))
    assert (
        plan
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "reviews") {
      {
        topReviews {
          clip {
            __typename
            sku
          }
        }
      }
    },
    Flatten(path: "topReviews.@.clip") {
      Fetch(service: "studio") {
        {
          ... on Video {
            __typename
            sku
          }
        } =>
        {
          ... on Video {
            seconds
          }
        }
      },
    },
  },
}"""
    )

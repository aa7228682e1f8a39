"""Plans with interfaces and unions, their possible types in one graph or spread over several."""

from __future__ import annotations

from collections.abc import Callable

from gateway.supergraph import Supergraph
from tests.support.supergraphs import load

PlanText = Callable[..., str]


def test_abstract_selections_pass_through_with_typename_and_route_by_type(
    media: Supergraph, plan_text: PlanText
) -> None:
    query = """
    {
      search(text: "x") {
        ... on Book {
          title
          rating
        }
        ... on Movie {
          title
          minutes
        }
      }
      featured {
        title
        ... on Book {
          rating
        }
      }
    }
    """
    assert (
        plan_text(media, query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "media") {
      {
        search(text: "x") {
          __typename
          ... on Book {
            __typename
            title
            id
          }
          ... on Movie {
            title
            minutes
          }
        }
        featured {
          __typename
          title
          ... on Book {
            __typename
            id
          }
        }
      }
    },
    Flatten(paths: ["search.@", "featured"]) {
      Fetch(service: "ratings") {
        {
          ... on Book {
            __typename
            id
          }
        } =>
        {
          ... on Book {
            rating
          }
        }
      },
    },
  },
}"""
    )


# abstract.graphql: `feed` returns the `Media` interface and the `SearchResult` union over Book
# and Movie, whose other fields live in `books` and `films`; `films` took over `Movie.title`
# (`@override`) and lists only Movie in its SearchResult; `reviews` knows Book as a Media but
# Movie only as an entity that does not implement it there.


def test_an_interface_implemented_in_two_graphs_is_routed_per_type(plan_text: PlanText) -> None:
    query = "{ feed { id title ... on Book { pages } ... on Movie { minutes } } }"
    assert (
        plan_text(load("abstract.graphql"), query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "feed") {
      {
        feed {
          __typename
          id
          ... on Book {
            __typename
            title
            id
          }
          ... on Movie {
            __typename
            id
          }
        }
      }
    },
    Parallel {
      Flatten(path: "feed.@") {
        Fetch(service: "films") {
          {
            ... on Movie {
              __typename
              id
            }
          } =>
          {
            ... on Movie {
              title
              minutes
            }
          }
        },
      },
      Flatten(path: "feed.@") {
        Fetch(service: "books") {
          {
            ... on Book {
              __typename
              id
            }
          } =>
          {
            ... on Book {
              pages
            }
          }
        },
      },
    },
  },
}"""
    )


def test_an_interface_field_resolved_elsewhere_for_one_implementation(
    plan_text: PlanText,
) -> None:
    # As Apollo: Book.title stays in `feed`; Movie.title moved to `films`.
    assert (
        plan_text(load("abstract.graphql"), "{ feed { title } }")
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "feed") {
      {
        feed {
          __typename
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
    Flatten(path: "feed.@") {
      Fetch(service: "films") {
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


def test_union_members_living_in_different_graphs(plan_text: PlanText) -> None:
    query = '{ search(text: "x") { ... on Book { title pages } ... on Movie { title minutes } } }'
    assert (
        plan_text(load("abstract.graphql"), query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "feed") {
      {
        search(text: "x") {
          __typename
          ... on Book {
            __typename
            title
            id
          }
          ... on Movie {
            __typename
            id
          }
        }
      }
    },
    Parallel {
      Flatten(path: "search.@") {
        Fetch(service: "books") {
          {
            ... on Book {
              __typename
              id
            }
          } =>
          {
            ... on Book {
              pages
            }
          }
        },
      },
      Flatten(path: "search.@") {
        Fetch(service: "films") {
          {
            ... on Movie {
              __typename
              id
            }
          } =>
          {
            ... on Movie {
              title
              minutes
            }
          }
        },
      },
    },
  },
}"""
    )


def test_a_union_member_the_graph_does_not_list_is_dropped(plan_text: PlanText) -> None:
    # `films` defines Book, but not as a SearchResult: `... on Book` would be invalid there, and
    # `films` never returns a Book for it anyway (Apollo's plan is the same single fetch).
    query = '{ filmSearch(text: "x") { __typename ... on Book { title } ... on Movie { title } } }'
    assert (
        plan_text(load("abstract.graphql"), query)
        == """\
QueryPlan {
  Fetch(service: "films") {
    {
      filmSearch(text: "x") {
        __typename
        ... on Movie {
          title
        }
      }
    }
  },
}"""
    )


def test_a_graph_knowing_only_some_implementations_gets_fragments_for_those(
    plan_text: PlanText,
) -> None:
    # `reviews` knows Movie, but not as a Media: only Book gets a fragment (as in Apollo's plan).
    query = "{ reviews { about { id title ... on Book { pages } ... on Movie { reviewCount } } } }"
    assert (
        plan_text(load("abstract.graphql"), query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "reviews") {
      {
        reviews {
          about {
            __typename
            id
            ... on Book {
              __typename
              id
            }
          }
        }
      }
    },
    Flatten(path: "reviews.@.about") {
      Fetch(service: "books") {
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


def test_an_interface_fragment_in_a_union_keeps_its_type_condition(plan_text: PlanText) -> None:
    text = plan_text(load("abstract.graphql"), '{ filmSearch(text: "x") { ... on Media { id } } }')
    assert "... on Media {\n          id\n        }" in text

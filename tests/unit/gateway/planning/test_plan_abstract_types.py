"""Plans with interfaces and unions whose possible types live in one graph."""

from __future__ import annotations

from collections.abc import Callable

from gateway.supergraph import Supergraph

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

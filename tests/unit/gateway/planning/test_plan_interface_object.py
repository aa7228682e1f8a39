"""Plans with an `@interfaceObject` (fixture `interface_object.graphql`): `library` knows the
entity interface `Media` and its implementations Book and Movie; `ratings` models Media as an
object type (`rating`, `topRated`); `extras` adds `Book.isbn`. Each plan is Apollo's, up to the
order of fields and of parallel fetches."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.supergraphs import load

PlanText = Callable[..., str]


def plan(plan_text: PlanText, query: str) -> str:
    return plan_text(load("interface_object.graphql"), query)


def test_an_interface_field_of_the_interface_object_is_one_fetch_on_the_interface(
    plan_text: PlanText,
) -> None:
    assert (
        plan(plan_text, "{ library { title rating } }")
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "library") {
      {
        library {
          __typename
          title
          id
        }
      }
    },
    Flatten(path: "library.@") {
      Fetch(service: "ratings") {
        {
          ... on Media {
            __typename
            id
          }
        } =>
        {
          ... on Media {
            rating
          }
        }
      },
    },
  },
}"""
    )


def test_an_implementation_reaches_the_interface_object_by_the_interface_key(
    plan_text: PlanText,
) -> None:
    # Only Books are sent (`... on Book`); the executor sends them as `"__typename": "Media"`.
    assert (
        plan(plan_text, '{ media(id: "1") { ... on Movie { rating minutes } } }')
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "library") {
      {
        media(id: "1") {
          __typename
          ... on Movie {
            __typename
            id
            minutes
          }
        }
      }
    },
    Flatten(path: "media") {
      Fetch(service: "ratings") {
        {
          ... on Movie {
            __typename
            id
          }
        } =>
        {
          ... on Media {
            rating
          }
        }
      },
    },
  },
}"""
    )


def test_fields_of_the_interface_object_alone_need_no_other_graph(plan_text: PlanText) -> None:
    # `ratings` sees Media as an object: no `__typename` to ask for there.
    assert (
        plan(plan_text, "{ topRated { id rating } }")
        == """\
QueryPlan {
  Fetch(service: "ratings") {
    {
      topRated {
        id
        rating
      }
    }
  },
}"""
    )


def test_other_interface_fields_come_with_the_real_typename(plan_text: PlanText) -> None:
    assert (
        plan(plan_text, "{ topRated { id rating title } }")
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "ratings") {
      {
        topRated {
          __typename
          id
          rating
        }
      }
    },
    Flatten(path: "topRated.@") {
      Fetch(service: "library") {
        {
          ... on Media {
            __typename
            id
          }
        } =>
        {
          ... on Media {
            __typename
            title
          }
        }
      },
    },
  },
}"""
    )


def test_typename_and_type_conditions_first_ask_a_graph_knowing_the_implementations(
    plan_text: PlanText,
) -> None:
    assert (
        plan(plan_text, "{ topRated { __typename rating ... on Book { pages } } }")
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "ratings") {
      {
        topRated {
          __typename
          id
          rating
        }
      }
    },
    Flatten(path: "topRated.@") {
      Fetch(service: "library") {
        {
          ... on Media {
            __typename
            id
          }
        } =>
        {
          ... on Media {
            __typename
            ... on Book {
              pages
            }
          }
        }
      },
    },
  },
}"""
    )


def test_implementation_fields_elsewhere_continue_after_the_real_type_is_known(
    plan_text: PlanText,
) -> None:
    query = "{ topRated { title ... on Book { isbn rating } ... on Movie { minutes } } }"
    assert (
        plan(plan_text, query)
        == """\
QueryPlan {
  Sequence {
    Fetch(service: "ratings") {
      {
        topRated {
          __typename
          id
        }
      }
    },
    Flatten(path: "topRated.@") {
      Fetch(service: "library") {
        {
          ... on Media {
            __typename
            id
          }
        } =>
        {
          ... on Media {
            __typename
            title
            ... on Book {
              __typename
              id
            }
            ... on Movie {
              minutes
            }
          }
        }
      },
    },
    Parallel {
      Flatten(path: "topRated.@") {
        Fetch(service: "extras") {
          {
            ... on Book {
              __typename
              id
            }
          } =>
          {
            ... on Book {
              isbn
            }
          }
        },
      },
      Flatten(path: "topRated.@") {
        Fetch(service: "ratings") {
          {
            ... on Book {
              __typename
              id
            }
          } =>
          {
            ... on Media {
              rating
            }
          }
        },
      },
    },
  },
}"""
    )

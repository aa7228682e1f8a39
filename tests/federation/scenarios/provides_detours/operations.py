"""Interface and union members reached under a `@provides`, whose other fields need a detour
through a third subgraph (differential against @apollo/gateway): the reviews know photos and
videos by id, the studio only by code and sku, the media subgraph by all three."""

from tests.federation.model import Operation, operations

OPERATIONS = operations(
    Operation(
        "interface_members_provided_only",
        "{ topReviews { media { __typename id url } } }",
        requests={"reviews": 1},
    ),
    Operation(
        "interface_member_detour",
        "{ topReviews { id media { url ... on Video { seconds } } } }",
        # url is provided under media; seconds: reviews -> media (id -> sku) -> studio.
        requests={"reviews": 1, "media": 1, "studio": 1},
        representations={"media": [2], "studio": [2]},
    ),
    Operation(
        "interface_members_detour_each",
        "{ topReviews { media { id ... on Photo { width } ... on Video { seconds url } } } }",
        requests={"reviews": 1, "media": 1, "studio": 1},
    ),
    Operation(
        "union_member_provided_and_beyond",
        "{ topReviews { attachments { ... on Video { url seconds } ... on Photo { url width } } }"
        " }",
        # Video.url is provided under attachments, Photo.url is not: media answers it.
        requests={"reviews": 1, "media": 1, "studio": 1},
    ),
    Operation(
        "union_member_typename_only",
        "{ topReviews { body attachments { __typename } } }",
        requests={"reviews": 1},
    ),
    Operation(
        "provided_key_reaches_the_studio",
        "{ topReviews { clip { id sku seconds } } }",
        # sku is provided under clip: a key of the studio, so no detour through media.
        requests={"reviews": 1, "studio": 1},
        representations={"studio": [2]},
    ),
)

"""Parameter and field types shared by the endpoints: row ids, page arguments, enums.

Row ids are integers as in the original services (GraphQL carries them as `ID` strings);
enum values are lower case as the original docs write them (`pending`, `private`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BeforeValidator, Field

#: The largest row id: the subgraphs' ids are INTEGER columns (32-bit signed).
MAX_ID = 2**31 - 1
#: GraphQL's `Int` is 32-bit signed.
MAX_INT = 2**31 - 1
#: The subgraphs' largest page.
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 10


def _lowered(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


#: An id in a path: `/orders/{order_id}`.
PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="The item's id.", examples=[1])]
#: An id in a body or a query.
RowId = Annotated[int, Field(ge=1, le=MAX_ID, examples=[1])]
#: An optional id filter in a query: `?user_id=1`.
IdFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_INT, description="The page, from 1.")]
PageSize = Annotated[
    int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, 1 to {MAX_PAGE_SIZE}.")
]
#: An enum value the graph writes in upper case, answered in lower case.
Lowered = BeforeValidator(_lowered)


def page_variables(page: int, page_size: int, **filters: Any) -> dict[str, Any]:
    """GraphQL variables of a page query: the page, its size and the filters given."""
    variables = {"page": page, "pageSize": page_size}
    variables.update({name: value for name, value in filters.items() if value is not None})
    return variables


def graph_id(value: int | None) -> str | None:
    """A row id as the graph's `ID`."""
    return None if value is None else str(value)

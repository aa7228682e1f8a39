"""CPU time of shaping alone, with and without reusing the result of an equal object.

Shaping takes the result of the last object shaped under a selection set for an object equal
to it (`gateway/execution/shaping.py`, `_Shaping.seen`): a win where answers repeat objects (the
benchmark's `TestQuery` does, heavily), a cost where nothing repeats (each object is compared
with the last one first, until a selection set has shaped eight in a row without a reuse and
gives up for the rest of the answer). This prints both, each against shaping every object:

    .venv/bin/python bench/shaping.py

The answers: 50 users of 20 reviews, each review with its product; "distinct" has no two
objects alike, "repeated" has every user alike and every review's product alike. Without
reuse means the shapes built with `_equal_shapes_alike` answering no (the code of a release
that did not reuse); CPU time per answer (`time.process_time`), best of 7 x 50 answers.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graphql import build_schema, parse  # noqa: E402

from gateway.execution import shaping  # noqa: E402
from gateway.planning.normalize import normalize_operation  # noqa: E402

SCHEMA = build_schema(
    """
    type Query { users: [User] }
    type User { id: ID! name: String reviews: [Review] }
    type Review { id: ID! stars: Int product: Product }
    type Product { upc: String! name: String price: Float }
    """
)
QUERY = "{ users { id name reviews { id stars product { upc name price } } } }"
USERS, REVIEWS, REPEATS, ANSWERS = 50, 20, 7, 50


def answer(distinct: bool) -> dict[str, Any]:
    def product(u: int, r: int) -> dict[str, Any]:
        upc = f"p{u}-{r}" if distinct else "p1"
        return {"__typename": "Product", "upc": upc, "name": "Table", "price": 9.5}

    def user(u: int) -> dict[str, Any]:
        reviews = [
            {"id": f"r{u}-{r}" if distinct else f"r{r}", "stars": r, "product": product(u, r)}
            for r in range(REVIEWS)
        ]
        return {"id": f"u{u}" if distinct else "u1", "name": "Ada", "reviews": reviews}

    return {"users": [user(u) for u in range(USERS)]}


def cpu_ms(data: dict[str, Any]) -> float:
    """Best CPU time of shaping `data` (parsed anew for each answer, as the executor's are)."""
    operation = normalize_operation(parse(QUERY), None, SCHEMA)
    shape = shaping.OperationShape(SCHEMA, operation, {})
    raw = orjson.dumps(data)
    best = float("inf")
    for _ in range(REPEATS):
        answers = [orjson.loads(raw) for _ in range(ANSWERS)]
        start = time.process_time()
        for parsed in answers:
            shape.shape(parsed, [])
        best = min(best, (time.process_time() - start) * 1000 / ANSWERS)
    return best


def main() -> int:
    cases = {"distinct": answer(True), "repeated": answer(False)}
    reusing = {name: cpu_ms(data) for name, data in cases.items()}
    equal_shapes_alike = shaping._equal_shapes_alike
    shaping._equal_shapes_alike = lambda runtime, entries: False  # shape every object
    try:
        every = {name: cpu_ms(data) for name, data in cases.items()}
    finally:
        shaping._equal_shapes_alike = equal_shapes_alike
    objects = USERS * (1 + 2 * REVIEWS)
    print(f"shaping an answer of {objects} objects, CPU ms per answer (best of {REPEATS} x 50):")
    for name in cases:
        change = (reusing[name] / every[name] - 1) * 100
        print(
            f"  {name:9} reusing equal objects' results {reusing[name]:.3f}, "
            f"shaping every object {every[name]:.3f} ({change:+.0f} %)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The search for the cheapest whole plan over the walk's decisions (`gateway.planning.choices`),
with plan functions standing for the walk: each meets decisions and reports a cost."""

from __future__ import annotations

import pytest

from gateway.planning import PlanningError
from gateway.planning.choices import MAX_TRIALS, Choices, Decision, cheapest_plan
from gateway.planning.graph import PlanCost

ROOT = Decision((), "Query", "products")
PRICE = Decision(("products", "@"), "Product", "price")


def test_the_greedy_plan_stands_when_nothing_is_cheaper() -> None:
    def plan(choices: Choices) -> tuple[str, PlanCost]:
        return choices.choose(ROOT, ["a", "b"]), PlanCost(2, 2)  # a tie: no change

    assert cheapest_plan(plan) == "a"


def test_a_strictly_cheaper_alternative_wins() -> None:
    costs = {"a": PlanCost(3, 3), "b": PlanCost(3, 2), "c": PlanCost(2, 2)}

    def plan(choices: Choices) -> tuple[str, PlanCost]:
        graph = choices.choose(ROOT, ["a", "b", "c"])
        return graph, costs[graph]

    assert cheapest_plan(plan) == "c"


def test_decisions_are_improved_one_after_the_other() -> None:
    def plan(choices: Choices) -> tuple[tuple[str, str], PlanCost]:
        root = choices.choose(ROOT, ["a", "b"])
        price = choices.choose(PRICE, ["x", "y"])
        fetches = 4 - (root == "b") - (price == "y")
        return (root, price), PlanCost(fetches, fetches)

    assert cheapest_plan(plan) == ("b", "y")


def test_an_alternative_plans_when_the_greedy_choice_cannot() -> None:
    def plan(choices: Choices) -> tuple[str, PlanCost]:
        graph = choices.choose(ROOT, ["a", "b"])
        if graph == "a":
            raise PlanningError("no way from a")
        return graph, PlanCost(1, 1)

    assert cheapest_plan(plan) == "b"


def test_the_greedy_error_is_raised_when_nothing_plans() -> None:
    def plan(choices: Choices) -> tuple[str, PlanCost]:
        raise PlanningError(f"no way from {choices.choose(ROOT, ['a', 'b'])}")

    with pytest.raises(PlanningError, match="no way from a"):
        cheapest_plan(plan)


def test_re_plans_are_bounded() -> None:
    calls = 0

    def plan(choices: Choices) -> tuple[int, PlanCost]:
        nonlocal calls
        calls += 1
        picks = [choices.choose(Decision((str(i),), "T", "f"), ["a", "b"]) for i in range(50)]
        cheaper = picks.count("b")
        return cheaper, PlanCost(100 - cheaper, 1)

    assert cheapest_plan(plan) == MAX_TRIALS
    assert calls == MAX_TRIALS + 1

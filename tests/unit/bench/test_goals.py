"""Issue 16's goals as RESULTS.md states them: ratios of one run, met or not, and what was not
measured."""

from __future__ import annotations

from dataclasses import replace

from bench.driver.gateways import Gateway
from bench.driver.goals import goal_lines
from bench.driver.results import Run
from bench.driver.scenario import FED
from bench.driver.trial import Outcome
from tests.unit.bench.test_results import SOUND, run


def outcome(name: str, title: str, **modes: Run | str) -> Outcome:
    return Outcome(Gateway(name, title, 4100, [], FED), runs=dict(modes))


def measured(rps: float, p95: float) -> Run:
    assert SOUND is not None
    return run(replace(SOUND, rps=rps, p95=p95))


HIVE = "Hive Gateway + Rust planner"


def test_goals_met_and_not_met_with_their_ratios() -> None:
    outcomes = [
        outcome("ours", "ours", unique=measured(300, 190), identical=measured(2400, 27)),
        outcome("hive-gateway-rr", HIVE, unique=measured(220, 320), identical=measured(1333, 58)),
        outcome("grafbase", "Grafbase", unique=measured(1200, 54), identical=measured(1200, 50)),
    ]
    unique, identical, aim_unique, aim_identical = goal_lines(outcomes)
    assert f"at least 1.5x {HIVE}'s RPS, p95 no worse: **1.36x**" in unique
    assert "p95 190 against 320 ms: not met" in unique
    assert "**1.80x**" in identical and "met" in identical and "not met" not in identical
    assert "ours made **0.25x** its RPS" in aim_unique
    assert "**2.00x**" in aim_identical


def test_a_worse_p95_misses_the_goal_whatever_the_ratio() -> None:
    outcomes = [
        outcome("ours", "ours", unique=measured(400, 400)),
        outcome("hive-gateway-rr", HIVE, unique=measured(200, 300)),
    ]
    assert "**2.00x**, p95 400 against 300 ms: not met" in goal_lines(outcomes)[0]


def test_the_goal_says_how_busy_the_load_was_beside_ours() -> None:
    outcomes = [
        outcome("ours", "ours", unique=replace(measured(400, 170), load_cpu_busy=98.6)),
        outcome("hive-gateway-rr", HIVE, unique=measured(250, 260)),
    ]
    line = goal_lines(outcomes)[0]
    assert "ours used 92% of its core, the load's CPU (subgraph server and wrk) 99% busy" in line


def test_a_failed_or_missing_run_is_not_measured_never_a_ratio() -> None:
    assert SOUND is not None
    failed = run(replace(SOUND, non_2xx=3), ["3 non-2xx answers"])
    outcomes = [
        outcome("ours", "ours", unique=failed, identical=measured(2400, 27)),
        outcome("hive-gateway-rr", HIVE, unique=measured(220, 320), identical="did not start"),
    ]
    lines = goal_lines(outcomes)
    assert lines[0].endswith("not measured in this run")
    assert lines[1].endswith("not measured in this run")
    assert all(line.endswith("not measured in this run") for line in lines[2:])  # no Grafbase

"""Several rounds fold into one outcome per gateway: the median round's figures, every round's
RPS beside them, and a failure in any round fails the mode."""

from __future__ import annotations

from dataclasses import replace

from bench.driver.gateways import Gateway
from bench.driver.goals import goal_lines
from bench.driver.report import round_cell, run_cells
from bench.driver.results import Run
from bench.driver.rounds import fold
from bench.driver.scenario import FED
from bench.driver.trial import Outcome
from tests.unit.bench.test_results import SOUND, run

OURS = Gateway("ours", "ours (Python)", 4100, [], FED)
HIVE = Gateway("hive-gateway-rr", "Hive Gateway + Rust planner", 4103, [], FED)


def measured(rps: float, p95: float, peak_kib: int = 131_072) -> Run:
    assert SOUND is not None
    return replace(run(replace(SOUND, rps=rps, p95=p95)), peak_rss_kib=peak_kib)


def rounds(gateway: Gateway, *runs: Run | str, **changes: object) -> list[Outcome]:
    return [
        replace(Outcome(gateway, correct=True, cold_calls=6), runs={"unique": r}, **changes)
        for r in runs
    ]


def test_each_mode_is_its_median_round_with_every_rounds_rps() -> None:
    folded = fold(rounds(OURS, measured(300, 190), measured(450, 130), measured(400, 150)))
    median = folded.runs["unique"]
    assert isinstance(median, Run)
    # One round's figures together, never the median of each figure apart.
    assert (median.wrk.rps, median.wrk.p95) == (400, 150)
    assert folded.rounds_rps["unique"] == [300, 450, 400]
    assert folded.status == "ok" and folded.correct and folded.cold_calls == 6


def test_an_even_count_takes_the_lower_middle_and_the_highest_peak_rss() -> None:
    folded = fold(
        rounds(OURS, measured(300, 190, 100_000), measured(450, 130, 140_000), measured(350, 1))
        + rounds(OURS, measured(500, 120))
    )
    median = folded.runs["unique"]
    assert isinstance(median, Run)
    assert median.wrk.rps == 350 and median.peak_rss_kib == 140_000


def test_a_failure_in_any_round_fails_the_mode() -> None:
    assert SOUND is not None
    failed = run(replace(SOUND, non_2xx=3), ["3 non-2xx answers"])
    folded = fold(rounds(OURS, measured(300, 190), failed, measured(400, 150)))
    assert folded.runs["unique"] is failed
    assert run_cells(folded, folded.runs["unique"])[0] == "**failed**"
    assert "unique" not in folded.rounds_rps
    assert fold(rounds(OURS, measured(300, 190), "wrong answer")).runs["unique"] == "wrong answer"


def test_a_round_that_did_not_end_well_is_the_outcome_and_says_which() -> None:
    bad = rounds(OURS, "not measured", status="failed", note="exited during the load run")
    folded = fold(rounds(OURS, measured(300, 190)) + bad)
    assert folded.status == "failed"
    assert folded.note == "in round 2 of 2: exited during the load run"


def test_one_round_is_left_as_it_is() -> None:
    (only,) = rounds(OURS, measured(300, 190))
    assert fold([only]) is only
    assert round_cell(only.rounds_rps.get("unique")) == "-"


def test_the_goal_says_the_ratio_round_by_round() -> None:
    ours = fold(rounds(OURS, measured(300, 190), measured(450, 130), measured(400, 150)))
    theirs = fold(rounds(HIVE, measured(250, 300), measured(200, 320), measured(300, 280)))
    assert round_cell(ours.rounds_rps["unique"]) == "300.0 / 450.0 / 400.0"
    unique = goal_lines([ours, theirs])[0]
    # Medians 400 (p95 150) against 250 (p95 300): 1.60x, met.
    assert "**1.60x**, p95 150 against 300 ms: met" in unique
    assert unique.endswith("; round by round: 1.20x, 2.25x, 1.33x")

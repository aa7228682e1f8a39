"""Several rounds of the same trials, one gateway after the other in each round, folded into one
outcome per gateway (pure, no I/O).

The machine's speed moves while a run lasts (on the project's 2-core VM, the same process's
CPU time per request was seen to move by half from one run to the next, and a busy loop's rate
by a fifth between half-seconds), so one run per gateway compares moments as much as gateways.
Rounds spread every gateway over the whole run: each mode's figures are the round with the
median RPS (all of that round's figures together, never a mix of rounds), the RPS of every
round is kept beside it, and a mode that failed in any round is failed.
"""

from __future__ import annotations

from dataclasses import replace

from .results import Run
from .trial import Outcome


def median_run(runs: list[Run]) -> Run:
    """The run with the median RPS (the lower of the two middle ones for an even count); its
    peak RSS is the highest of all the runs."""
    ordered = sorted(runs, key=lambda run: run.wrk.rps)
    median = ordered[(len(ordered) - 1) // 2]
    return replace(median, peak_rss_kib=max(run.peak_rss_kib for run in runs))


def fold(rounds: list[Outcome]) -> Outcome:
    """One gateway's outcome over its rounds (in the order they ran). A round that did not end
    `ok` (the gateway did not start, answered wrong, exited) is the outcome, saying which round;
    else each mode is its median round, or the first round's failure or reason when any round
    has one."""
    if not rounds:
        raise ValueError("no round to fold")
    if len(rounds) == 1:
        return rounds[0]
    for number, outcome in enumerate(rounds, start=1):
        if outcome.status != "ok":
            note = f"in round {number} of {len(rounds)}: {outcome.note}" if outcome.note else ""
            return replace(outcome, note=note)
    first = rounds[0]
    folded = Outcome(
        first.gateway,
        status="ok",
        correct=all(outcome.correct for outcome in rounds),
        cold_calls=first.cold_calls,
        cold_ms=first.cold_ms,
    )
    for mode in first.runs:
        runs = [outcome.runs.get(mode, "not measured") for outcome in rounds]
        unsound = next(
            (run for run in runs if not isinstance(run, Run) or run.failed),
            None,
        )
        if unsound is not None:
            folded.runs[mode] = unsound
            continue
        measured = [run for run in runs if isinstance(run, Run)]
        folded.runs[mode] = median_run(measured)
        folded.rounds_rps[mode] = [run.wrk.rps for run in measured]
    return folded

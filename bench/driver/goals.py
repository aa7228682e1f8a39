"""Issue 16's goals, read off one run (pure): ours against Hive Gateway + Rust planner in each
mode, and how far ours is from Grafbase. A figure is only compared with one of the same run."""

from __future__ import annotations

from dataclasses import dataclass

from .results import Run
from .trial import Outcome

#: the peer the goals name, and the one the aim names
RUST_PLANNED = "hive-gateway-rr"
AIM = "grafbase"


@dataclass(frozen=True)
class Goal:
    """At least `ratio` times the peer's RPS in `mode`; with `p95`, a p95 no worse than its."""

    mode: str
    ratio: float
    p95: bool


GOALS = (Goal("unique", 1.5, p95=True), Goal("identical", 1.0, p95=False))


def _measured(outcomes: list[Outcome], name: str, mode: str) -> Run | None:
    for outcome in outcomes:
        if outcome.gateway.name == name:
            run = outcome.runs.get(mode)
            if isinstance(run, Run) and not run.failed:
                return run
    return None


def _title(outcomes: list[Outcome], name: str) -> str:
    return next((o.gateway.title for o in outcomes if o.gateway.name == name), name)


def _rounds(outcomes: list[Outcome], name: str, mode: str) -> list[float]:
    return next((o.rounds_rps.get(mode, []) for o in outcomes if o.gateway.name == name), [])


def _round_ratios(outcomes: list[Outcome], peer: str, mode: str) -> str:
    """Ours against `peer` round by round (each round measures both, one after the other), when
    the run had several: how much the ratio moved with the machine."""
    ours, theirs = _rounds(outcomes, "ours", mode), _rounds(outcomes, peer, mode)
    if len(ours) < 2 or len(ours) != len(theirs):
        return ""
    ratios = ", ".join(f"{a / max(b, 1e-9):.2f}x" for a, b in zip(ours, theirs, strict=True))
    return f"; round by round: {ratios}"


def _load(run: Run) -> str:
    """How busy the subgraph server and wrk's CPU was beside ours, when the run was pinned."""
    if run.load_cpu_busy is None:
        return ""
    return f", the load's CPU (subgraph server and wrk) {run.load_cpu_busy:.0f}% busy"


def goal_lines(outcomes: list[Outcome]) -> list[str]:
    """One line per goal and one per mode for the aim: the ratio, and met or not; a goal whose
    gateways did not both give figures in this run says so."""
    peer = _title(outcomes, RUST_PLANNED)
    lines = []
    for goal in GOALS:
        ours, theirs = (_measured(outcomes, n, goal.mode) for n in ("ours", RUST_PLANNED))
        wanted = f"at least {goal.ratio:g}x {peer}'s RPS" + (", p95 no worse" if goal.p95 else "")
        if ours is None or theirs is None:
            lines.append(f"- `{goal.mode}`: {wanted}: not measured in this run")
            continue
        ratio = ours.wrk.rps / max(theirs.wrk.rps, 1e-9)
        per_round = _round_ratios(outcomes, RUST_PLANNED, goal.mode)
        met = ratio >= goal.ratio and (not goal.p95 or ours.wrk.p95 <= theirs.wrk.p95)
        latency = f", p95 {ours.wrk.p95:.0f} against {theirs.wrk.p95:.0f} ms" if goal.p95 else ""
        lines.append(
            f"- `{goal.mode}`: {wanted}: **{ratio:.2f}x**{latency}: "
            f"{'met' if met else 'not met'} (ours used {ours.gateway_cpu:.0f}% of its core"
            f"{_load(ours)}, "
            f"{ours.cpu_ms_per_request:.2f} against {theirs.cpu_ms_per_request:.2f} ms CPU "
            f"per request){per_round}"
        )
    aim = _title(outcomes, AIM)
    for mode in (goal.mode for goal in GOALS):
        ours, theirs = (_measured(outcomes, n, mode) for n in ("ours", AIM))
        if ours is None or theirs is None:
            lines.append(f"- `{mode}`, the aim ({aim}): not measured in this run")
            continue
        ratio = ours.wrk.rps / max(theirs.wrk.rps, 1e-9)
        lines.append(
            f"- `{mode}`, the aim ({aim}): ours made **{ratio:.2f}x** its RPS"
            + _round_ratios(outcomes, AIM, mode)
        )
    return lines

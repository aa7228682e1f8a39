"""A measured run's figures come from wrk's RESULT line, and any bad answer fails the mode."""

from __future__ import annotations

from dataclasses import replace

from bench.driver.gateways import Gateway
from bench.driver.machine import busy_share, busy_warning, cpu_ticks
from bench.driver.report import run_cells
from bench.driver.results import (
    Run,
    WrkResult,
    failure_reasons,
    parse_wrk,
    sample_every,
    vm_hwm_kib,
)
from bench.driver.scenario import FED
from bench.driver.trial import Outcome

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:4100/graphql
  1 threads and 50 connections
RESULT rps=231.5 p50=212.40ms p95=265.10ms p99=301.00ms requests=1852 errors(status)=0 \
errors(connect/read/write/timeout)=0/0/0/0 answers=1852 non_2xx=0 wrong_length=0 samples=20 \
tokens_short=0
"""
SOUND = parse_wrk(WRK_OUTPUT)


def run(result: WrkResult, failures: list[str] | None = None) -> Run:
    return Run(
        wrk=result,
        in_flight=50,
        subgraph_calls=11_412,
        cpu_seconds=7.4,
        wall_seconds=8.0,
        peak_rss_kib=131_072,
        failures=failures or [],
    )


def test_the_result_line_is_parsed() -> None:
    assert SOUND is not None
    assert (SOUND.rps, SOUND.p50, SOUND.p95, SOUND.p99) == (231.5, 212.4, 265.1, 301.0)
    assert (SOUND.requests, SOUND.answers, SOUND.samples) == (1852, 1852, 20)


def test_no_result_line_is_no_result() -> None:
    assert parse_wrk("unable to connect to 127.0.0.1:4100 Connection refused") is None


def test_a_sound_run_has_no_failure() -> None:
    assert SOUND is not None
    assert failure_reasons(SOUND, []) == []


def test_every_kind_of_bad_answer_fails_the_mode() -> None:
    assert SOUND is not None
    cases = [
        ("non-2xx", replace(SOUND, non_2xx=3)),
        ("non-2xx", replace(SOUND, status_errors=2)),  # wrk's own count of 4xx/5xx
        ("socket errors", replace(SOUND, read=1, timeout=2)),
        ("another length", replace(SOUND, wrong_length=1)),
        ("reused a token", replace(SOUND, tokens_short=7)),
        ("no request was answered", replace(SOUND, requests=0, answers=0, samples=0)),
        ("no answer was sampled", replace(SOUND, samples=0)),
    ]
    for words, result in cases:
        reasons = failure_reasons(result, [])
        assert any(words in reason for reason in reasons), (words, reasons)
    assert failure_reasons(SOUND, ["1-3.json: first difference at $.data"]) == [
        "sampled answer 1-3.json: first difference at $.data"
    ]


def test_a_failed_mode_shows_no_figures() -> None:
    assert SOUND is not None
    outcome = Outcome(Gateway("ours", "ours (Python)", 4100, [], FED))
    cells = run_cells(outcome, run(replace(SOUND, non_2xx=50_234), ["50234 non-2xx answers"]))
    assert cells[0] == "**failed**" and set(cells[1:]) == {"-"}
    sound = run_cells(outcome, run(SOUND))
    assert sound[0] == "231.5" and "all 1852" in sound[7]


def test_cpu_per_request_and_calls_per_request() -> None:
    assert SOUND is not None
    measured = run(SOUND)
    assert round(measured.cpu_ms_per_request, 2) == 4.0
    assert round(measured.gateway_cpu) == 92
    assert round(measured.calls_per_request, 2) == round(11_412 / 1902, 2)


def test_samples_spread_over_the_run() -> None:
    assert sample_every(250.0, seconds=8, sample_max=20) == 100
    assert sample_every(None, seconds=8, sample_max=20) == 50
    assert sample_every(1.0, seconds=3, sample_max=20) == 1


def test_peak_rss_is_read_from_proc_status() -> None:
    status = "Name:\tpython\nVmPeak:\t  900000 kB\nVmHWM:\t  131072 kB\nVmRSS:\t  120000 kB\n"
    assert vm_hwm_kib(status) == 131_072
    assert vm_hwm_kib("Name:\tkthreadd\n") == 0


def test_a_busy_machine_is_said_to_be_busy() -> None:
    assert busy_warning(1.5, cpus=2) == ""
    assert "busy with other work (load average 9.0 on 2 CPUs)" in busy_warning(9.0, cpus=2)


PROC_STAT = """cpu  9000 10 2000 50000 300 0 40 60 0 0
cpu0 4000 5 1000 20000 100 0 20 30 0 0
cpu1 5000 5 1000 30000 200 0 20 30 0 0
intr 123
"""


def test_a_cpus_busy_ticks_are_all_but_idle_and_iowait() -> None:
    assert cpu_ticks(PROC_STAT, 1) == (5000 + 5 + 1000 + 20 + 30, 36255)
    assert cpu_ticks(PROC_STAT, 0) == (5055, 25155)


def test_the_load_cpus_busy_share_over_a_run() -> None:
    assert busy_share((5000, 20000), (5950, 21000)) == 95.0
    assert busy_share((5000, 20000), (5000, 20000)) == 0.0  # no tick passed


def test_the_load_cpu_shows_beside_the_gateways_own() -> None:
    assert SOUND is not None
    outcome = Outcome(Gateway("ours", "ours (Python)", 4100, [], FED))
    cells = run_cells(outcome, replace(run(SOUND), load_cpu_busy=97.4))
    assert cells[-2:] == ["92%", "97%"]
    assert run_cells(outcome, run(SOUND))[-1] == "-"  # not pinned: nothing to say

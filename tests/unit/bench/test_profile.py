"""py-spy's collapsed stacks summed up: shares by area, our code's frames, self and total time."""

from __future__ import annotations

from pathlib import Path

from bench.driver.profile import Frame, markdown, py_spy_command, summarize

ROOT = 'process 42:"python -m gateway";main (gateway/__main__.py:29)'
EXECUTE = "run_graphql (gateway/app/pipeline.py:40);execute (gateway/execution/executor.py:10)"
COLLAPSED = "\n".join(
    [
        f"{ROOT};{EXECUTE};shape (gateway/execution/shaping.py:5) 6",
        f"{ROOT};{EXECUTE};_json (gateway/transport/http.py:80) 3",
        f"{ROOT};run_asgi (uvicorn/protocols/http/httptools_impl.py:418) 1",
        "not a stack line",
    ]
)


def test_shares_by_area_add_up_to_every_sample() -> None:
    profile = summarize(COLLAPSED)
    assert profile.samples == 10
    assert profile.area_self["execution (gateway/execution)"] == 6
    assert profile.area_self["subgraph transport (gateway/transport, pybreaker)"] == 3
    assert sum(profile.area_self.values()) == 10


def test_total_time_counts_a_frame_once_per_stack() -> None:
    profile = summarize(COLLAPSED)
    execute = Frame("execute", "gateway/execution/executor.py")
    assert profile.total_samples[execute] == 9
    assert profile.self_samples[execute] == 0
    assert Frame.parse("shape (gateway/execution/shaping.py:5)") == Frame(
        "shape", "gateway/execution/shaping.py"
    )


def test_the_summary_lists_our_code_without_the_entry_point() -> None:
    text = markdown(summarize(COLLAPSED), "ours, `unique`")
    assert "| `execute (gateway/execution/executor.py)` | 90.0% |" in text
    assert "gateway/__main__.py" not in text


def test_py_spy_pauses_the_gateway_only_for_native_frames() -> None:
    plain = py_spy_command("py-spy", 7, 8, Path("p.txt"), native=False)
    native = py_spy_command("py-spy", 7, 8, Path("p.txt"), native=True)
    assert "--nonblocking" in plain and "--native" not in plain
    assert "--native" in native and "--nonblocking" not in native


def test_native_samples_of_waiting_threads_are_left_out() -> None:
    worker = ";".join(
        [
            "_worker (concurrent/futures/thread.py:81)",
            "PyThread_acquire_lock_timed (libpython)",
            "0x7f01 (libc.so.6)",
            "0x7f02 (libc.so.6)",
        ]
    )
    loop = "Runner.run (asyncio/runners.py:118);uv__io_poll (libuv);epoll_pwait (libc.so.6)"
    reading = "Runner.run (asyncio/runners.py:118);uv__io_poll (libuv);uv__read (libuv)"
    gc = f"{ROOT};{EXECUTE};gc_collect_main (libpython3.11.so.1.0)"
    profile = summarize(f"{worker} 5\n{loop} 3\n{reading} 1\n{gc} 2\n")
    assert (profile.samples, profile.idle) == (3, 8)
    assert profile.area_self["Python's garbage collector (gc)"] == 2

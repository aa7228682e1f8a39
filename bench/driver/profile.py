"""Where our gateway's CPU goes under the benchmark load: py-spy samples of the measured run
(`BENCH_PROFILE=1`), summed up into top lists and shares by area.

py-spy writes collapsed stacks (`frame;frame;frame count`, one stack a line, root first), which
speedscope and flamegraph tools open as they are. The summary here is pure: a share is the
samples a frame (or area) appears in, out of all samples of active (non-idle) threads.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

#: Areas of the gateway's CPU, by the file of a frame: first match wins, in this order.
AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("execution (gateway/execution)", ("gateway/execution/",)),
    ("planning (gateway/planning)", ("gateway/planning/",)),
    ("policies (gateway/policy)", ("gateway/policy/",)),
    ("subgraph transport (gateway/transport, pybreaker)", ("gateway/transport/", "pybreaker/")),
    ("request pipeline (gateway/app, gateway/rest)", ("gateway/app/", "gateway/rest/")),
    ("supergraph model (gateway/supergraph)", ("gateway/supergraph/",)),
    ("common (auth, metrics, logging, request id)", ("common/",)),
    (
        "token signing and verification (pyjwt, cryptography, hmac)",
        ("jwt/", "cryptography/", "hmac.py"),
    ),
    (
        "HTTP client (httpx, httpcore, h11, anyio)",
        ("httpx/", "httpcore/", "h11/", "anyio/", "sniffio/"),
    ),
    (
        "HTTP server (uvicorn, httptools, starlette, fastapi)",
        ("uvicorn/", "httptools/", "starlette/", "fastapi/"),
    ),
    ("GraphQL library (graphql-core)", ("graphql/",)),
    ("JSON (orjson, json)", ("orjson", "json/")),
    ("metrics (prometheus_client)", ("prometheus_client/",)),
    ("event loop (asyncio, uvloop)", ("asyncio/", "uvloop/")),
    ("pydantic", ("pydantic",)),
    ("threads (concurrent.futures, threading)", ("concurrent/futures/", "threading.py")),
    ("CPython runtime (libpython: objects, dicts, allocation)", ("libpython",)),
    ("C library (libc)", ("libc.so",)),
)
#: Python's cyclic garbage collector, by function (its frames are in libpython).
GC_AREA = "Python's garbage collector (gc)"
#: Where a thread waits (an event loop's poll, an idle worker thread): with --native, py-spy
#: cannot tell such samples from work, so `summarize` drops a stack whose last frames wait.
WAITING = (
    "epoll_wait",
    "epoll_pwait",
    "uv__io_poll",
    "PyThread_acquire_lock_timed",
    "pthread_cond_wait",
    "pthread_cond_timedwait",
    "_queue_SimpleQueue_get_impl",
    "sem_timedwait",
    "sem_clockwait",
)
OTHER = "other"
_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


@dataclass(frozen=True)
class Frame:
    function: str
    file: str

    @classmethod
    def parse(cls, text: str) -> Frame:
        match = _FRAME.match(text.strip())
        if not match:
            return cls(text.strip(), "")
        return cls(match["function"], match["file"])

    @property
    def label(self) -> str:
        return f"{self.function} ({self.file})" if self.file else self.function

    @property
    def is_ours(self) -> bool:
        """In the gateway or common (the entry point's frames excluded)."""
        return self.file.startswith(("gateway/", "common/")) and "__main__" not in self.file

    @property
    def is_address(self) -> bool:
        """A native frame py-spy could not name (`0x7f...`)."""
        return self.function.startswith("0x")

    @property
    def area(self) -> str:
        if self.function.startswith("gc_collect"):
            return GC_AREA
        for area, markers in AREAS:
            if any(marker in self.file for marker in markers):
                return area
        return OTHER


@dataclass
class Profile:
    """Samples by frame: `self_samples` where a frame was running, `total_samples` where it was
    on the stack (once per stack, however deep it recurses)."""

    samples: int = 0
    #: samples dropped as waiting (see WAITING)
    idle: int = 0
    self_samples: Counter[Frame] = field(default_factory=Counter)
    total_samples: Counter[Frame] = field(default_factory=Counter)
    area_self: Counter[str] = field(default_factory=Counter)

    def share(self, count: int) -> float:
        return 100.0 * count / max(self.samples, 1)


def summarize(collapsed: str) -> Profile:
    """A Profile of py-spy's raw (collapsed) output."""
    profile = Profile()
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [Frame.parse(part) for part in stack.split(";") if part.strip()]
        # py-spy starts each stack with a pseudo-frame for the process (and thread with -t).
        frames = [f for f in frames if not f.function.startswith(("process ", "thread "))]
        if not frames:
            continue
        if waiting(frames):
            profile.idle += count
            continue
        profile.samples += count
        profile.self_samples[frames[-1]] += count
        profile.area_self[frames[-1].area] += count
        for frame in set(frames):
            profile.total_samples[frame] += count
    return profile


def waiting(frames: list[Frame]) -> bool:
    """True for a thread waiting: its running frame waits, or is an unnamed native frame called
    (within two frames) from one that waits."""
    leaf = frames[-1]
    if any(name in leaf.function for name in WAITING):
        return True
    return leaf.is_address and any(
        name in frame.function for frame in frames[-3:-1] for name in WAITING
    )


def markdown(profile: Profile, title: str, top: int = 25) -> str:
    """The shares by area and the top frames by self and by total time, as Markdown."""
    idle = f" ({profile.idle} samples of waiting threads left out)" if profile.idle else ""
    lines = [f"### {title}", "", f"{profile.samples} samples of active threads{idle}.", ""]
    lines += ["| area (self time: the frame that was running) | share |", "| --- | ---: |"]
    for area, count in profile.area_self.most_common():
        lines.append(f"| {area} | {profile.share(count):.1f}% |")
    lines += ["", "| top of our code by total time (on the stack) | share |", "| --- | ---: |"]
    ours = [(f, n) for f, n in profile.total_samples.most_common() if f.is_ours]
    for frame, count in ours[:top]:
        lines.append(f"| `{frame.label}` | {profile.share(count):.1f}% |")
    lines += ["", "| top by self time | share |", "| --- | ---: |"]
    for frame, count in profile.self_samples.most_common(top):
        lines.append(f"| `{frame.label}` | {profile.share(count):.1f}% |")
    return "\n".join(lines) + "\n"


def py_spy() -> str | None:
    """py-spy beside this Python (the `bench` extra installs it) or on PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


def py_spy_command(spy: str, pid: int, seconds: int, output: Path, native: bool) -> list[str]:
    """py-spy sampling `pid` for `seconds` at 100 Hz, collapsed stacks into `output`."""
    cmd = [spy, "record", "--pid", str(pid), "--duration", str(seconds)]
    cmd += ["--rate", "100", "--format", "raw", "--function", "--output", str(output)]
    # --native walks C frames too (orjson, httptools, uvloop) but must pause the process.
    return [*cmd, "--native"] if native else [*cmd, "--nonblocking"]

"""How `make test` splits the suite between pytest-xdist workers.

A session fixture that starts a stack of processes is set up once per worker that runs a test
needing it. The folders whose tests share such stacks (the integration stacks, the security
target, the web stack and browser run, the federation scenario servers) therefore each run whole
on one worker; every other test file is one unit of work, kept on one worker (its module fixtures
are set up once), as `--dist loadfile` would. Units are handed out largest first. Each worker
draws the ports of the processes it starts from a slice of the range of its own.

(xdist's own `--dist loadgroup` does not work with pytest 9.2: it renames items through an
attribute pytest no longer reads. A scheduler of ours needs only the test ids.)
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from devstack.processes import share_ports

#: Folders whose tests share session stacks: each is one unit of work.
SHARED_STACKS = ("tests/integration/", "tests/security/", "tests/web/", "tests/federation/")


def unit_of_work(nodeid: str) -> str:
    """The unit of work a test belongs to: its folder when that shares stacks, else its file."""
    for folder in SHARED_STACKS:
        if nodeid.startswith(folder):
            return folder
    return nodeid.split("::", 1)[0]


def pytest_configure(config: pytest.Config) -> None:
    """In a pytest-xdist worker, draw free ports from this worker's own slice of the range: two
    workers starting stacks side by side once drew the same port, and one stack's gateway then
    talked to the other's subgraph there (`devstack.processes.share_ports`)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1, ...
    count = os.environ.get("PYTEST_XDIST_WORKER_COUNT", "")
    if worker.startswith("gw") and worker[2:].isdigit() and count.isdigit():
        share_ports(int(worker[2:]), int(count))


@pytest.hookimpl(optionalhook=True)  # a hook of xdist's: unknown when it is not installed
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With `-n` and the default `--dist load`, schedule by `unit_of_work`."""
    if config.getvalue("dist") != "load":
        return None  # an explicit --dist keeps xdist's own scheduler
    from xdist.scheduler import LoadScopeScheduling

    class StackScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return unit_of_work(nodeid)

    return StackScheduling(config, log)

"""How `make test` splits the suite between pytest-xdist workers (`--dist loadgroup`).

A session fixture that starts a stack of processes is set up once per worker that runs a test
needing it. Every test needing one of them therefore goes to the same worker (one group per
shared stack), and a test file otherwise stays on one worker whole (its module fixtures are set up
once), as `--dist loadfile` would do.
"""

from __future__ import annotations

import pytest

#: Session fixtures that start processes (stacks, the scenario servers), each with the group of
#: the tests sharing it (fixtures built on one, such as the web tests' nginx and browser run, need
#: it too); the first one an item needs decides its group.
SHARED = {
    "web_stack": "web",
    "crash_stack": "security-crash",
    "target": "security",
    "observed": "observed",
    "stack": "stack",
    "scenario_runs": "scenarios",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        needs = getattr(item, "fixturenames", ())
        group = next((name for fixture, name in SHARED.items() if fixture in needs), None)
        item.add_marker(pytest.mark.xdist_group(group or item.nodeid.split("::", 1)[0]))

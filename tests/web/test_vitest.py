"""The SPA's unit tests (Vitest: client, token refresh, cart, forms, errors) in the suite."""

from __future__ import annotations

import subprocess

from tests.support.web import FRONTEND, node


def test_vitest_unit_tests_pass() -> None:
    node_path = node()
    done = subprocess.run(
        [node_path, "node_modules/vitest/vitest.mjs", "run", "--reporter=dot"],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert " passed" in done.stdout

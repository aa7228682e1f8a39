"""A bad setting stops a service at start-up with a message naming the variable, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from devstack.processes import ROOT


@pytest.mark.parametrize(
    ("module", "variable", "value"),
    [
        ("subgraphs.users", "USER_SERVICE_PORT", "eighty"),
        ("subgraphs.orders", "ORDER_SERVICE_DB_POOL_SIZE", "0"),
        ("gateway", "GATEWAY_PORT", "70000"),
        ("gateway", "CIRCUIT_BREAKER_TIMEOUT", "soon"),
    ],
)
def test_bad_setting_stops_start_up(module: str, variable: str, value: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env={**os.environ, variable: value},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert variable in result.stderr
    assert "Traceback" not in result.stderr

"""monitoring/prometheus: the three scrape configs and the rules are what Prometheus accepts,
every alert carries its runbook, fires as its unit tests say and is described in the docs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from devstack.processes import ROOT
from devstack.stack import SUBGRAPHS
from tests.support.prometheus import MONITORING, PROMTOOL, RULES, promtool_missing, rules
from tests.support.servers import missing

PROMETHEUS_DIR = MONITORING / "prometheus"
CONFIGS = ("prometheus.yml", "compose.yml", "kubernetes.yml")
JOBS = {"gateway", *(sg.name for sg in SUBGRAPHS)}


@pytest.fixture(scope="module")
def promtool() -> str:
    reason = promtool_missing()
    if reason is not None:
        missing(reason)
    return PROMTOOL


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, cwd=PROMETHEUS_DIR, timeout=60)


def test_rule_files_are_valid(promtool: str) -> None:
    checked = run(promtool, "check", "rules", *map(str, sorted(RULES.glob("*.yml"))))
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("name", ["alerts_test.yml", "recording_test.yml"])
def test_rule_unit_tests_pass(promtool: str, name: str) -> None:
    tested = run(promtool, "test", "rules", f"tests/{name}")
    assert tested.returncode == 0, tested.stdout + tested.stderr


@pytest.mark.parametrize("name", CONFIGS)
def test_each_scrape_config_is_valid_with_the_rules(
    promtool: str, name: str, tmp_path: Path
) -> None:
    config = yaml.safe_load((PROMETHEUS_DIR / name).read_text())
    # The token file exists only where compose or Kubernetes mount it: stand one in.
    token = tmp_path / "token"
    token.write_text("metrics-token")
    for job in config["scrape_configs"]:
        if "authorization" in job:
            job["authorization"]["credentials_file"] = str(token)
    config["rule_files"] = [str(RULES / "*.yml")]
    copy = tmp_path / name
    copy.write_text(yaml.safe_dump(config))
    checked = run(promtool, "check", "config", str(copy))
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("name", CONFIGS)
def test_each_config_scrapes_the_gateway_and_every_subgraph(name: str) -> None:
    config = yaml.safe_load((PROMETHEUS_DIR / name).read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) - {"prometheus"} == JOBS
    assert config["rule_files"] == ["rules/*.yml"]
    gateway_auth = jobs["gateway"].get("authorization")
    if name == "prometheus.yml":  # make run: development, /metrics open
        assert gateway_auth is None
    else:  # production: the bearer token from a mounted secret
        assert gateway_auth["type"] == "Bearer" and gateway_auth["credentials_file"]


def test_every_alert_has_a_severity_summary_description_runbook_and_a_unit_test() -> None:
    tests = (PROMETHEUS_DIR / "tests" / "alerts_test.yml").read_text()
    alerts = [rule for rule in rules() if "alert" in rule]
    assert len(alerts) >= 12
    for alert in alerts:
        name = alert["alert"]
        assert alert["labels"]["severity"] in {"critical", "warning"}, name
        assert {"summary", "description", "runbook"} <= set(alert["annotations"]), name
        fired = re.search(rf"alertname: {name}\n\s+exp_alerts:\n\s+- exp_labels", tests)
        assert fired, f"{name} has no promtool test in which it fires"


def test_docs_describe_every_alert() -> None:
    operations = (ROOT / "docs" / "operations.md").read_text()
    for alert in (rule["alert"] for rule in rules() if "alert" in rule):
        assert f"### {alert}" in operations, f"docs/operations.md has no section on {alert}"

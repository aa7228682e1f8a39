"""A real Prometheus (Debian's `prometheus`) for tests: started on a free port with a config
derived from monitoring/prometheus/prometheus.yml, queried through its HTTP API.

`promql_expressions()` gathers every expression an operator relies on: each dashboard target,
each recording rule (its expression and its recorded name) and each alert (`as_bool`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import yaml

from devstack.processes import ROOT

MONITORING = ROOT / "monitoring"
RULES = MONITORING / "prometheus" / "rules"
DASHBOARDS = MONITORING / "grafana" / "dashboards"
#: where Debian installs them; PATH is tried first
PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"
PROMTOOL = shutil.which("promtool") or "/usr/bin/promtool"


def prometheus_missing() -> str | None:
    """None when the prometheus binary is installed, else why not."""
    if Path(PROMETHEUS).exists():
        return None
    return "prometheus is not installed (Debian package `prometheus`)"


def promtool_missing() -> str | None:
    """None when promtool is installed, else why not."""
    if Path(PROMTOOL).exists():
        return None
    return "promtool is not installed (Debian package `prometheus`)"


def config_for(targets: Mapping[str, str], own_address: str) -> dict[str, Any]:
    """monitoring/prometheus/prometheus.yml with every job's target replaced by `targets[job]`
    (`host:port`), scraping every 2 s (a loaded machine may take a second to answer),
    evaluating rules every second, rules from the repository."""
    config = yaml.safe_load((MONITORING / "prometheus" / "prometheus.yml").read_text())
    config["global"].update(scrape_interval="2s", scrape_timeout="2s", evaluation_interval="1s")
    config["rule_files"] = [str(RULES / "*.yml")]
    for job in config["scrape_configs"]:
        address = own_address if job["job_name"] == "prometheus" else targets[job["job_name"]]
        job["static_configs"] = [{"targets": [address]}]
    return config


class RunningPrometheus:
    """A Prometheus process and its query API."""

    def __init__(self, url: str, process: subprocess.Popen[bytes]) -> None:
        self.url = url
        self.process = process
        self.client = httpx.Client(base_url=url, timeout=30)

    def query(self, expr: str) -> dict[str, Any]:
        """The API's answer to an instant query (`status`, `data` or `error`)."""
        return dict(self.client.get("/api/v1/query", params={"query": expr}).json())

    def series(self, expr: str) -> list[dict[str, Any]]:
        """The result of an instant query that must be accepted."""
        answer = self.query(expr)
        assert answer["status"] == "success", f"{expr}: {answer.get('error')}"
        return list(answer["data"]["result"])


@contextmanager
def running_prometheus(
    config: dict[str, Any], workdir: Path, port: int
) -> Iterator[RunningPrometheus]:
    """Prometheus on 127.0.0.1:`port` with `config`, its data in `workdir`, until the block
    ends."""
    config_path = workdir / "prometheus.yml"
    config_path.write_text(yaml.safe_dump(config))
    log = (workdir / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            PROMETHEUS,
            f"--config.file={config_path}",
            f"--storage.tsdb.path={workdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--storage.tsdb.retention.time=1h",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"prometheus exited: {(workdir / 'prometheus.log').read_text()}")
            try:
                if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("prometheus did not become ready in 30 s")
            time.sleep(0.2)
        running = RunningPrometheus(url, process)
        yield running
        running.client.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def dashboard_expressions() -> dict[str, str]:
    """`<file>: <panel> [refId]` -> expression, for every target of every dashboard."""
    found = {}
    for path in sorted(DASHBOARDS.glob("*.json")):
        for panel in json.loads(path.read_text())["panels"]:
            for target in panel["targets"]:
                found[f"{path.name}: {panel['title']} [{target['refId']}]"] = target["expr"]
    return found


def rules() -> list[dict[str, Any]]:
    """Every rule of monitoring/prometheus/rules/*.yml."""
    return [
        rule
        for path in sorted(RULES.glob("*.yml"))
        for group in yaml.safe_load(path.read_text())["groups"]
        for rule in group["rules"]
    ]


def rule_expressions() -> dict[str, str]:
    """What to ask of each rule: a recording rule's expression and its recorded series; an
    alert's expression with its comparisons turned into `bool` ones (a healthy system fires no
    alert, but every series the alert compares must be there)."""
    found = {}
    for rule in rules():
        if "record" in rule:
            found[f"record {rule['record']}"] = rule["expr"]
            found[f"recorded {rule['record']}"] = rule["record"]
        else:
            found[f"alert {rule['alert']}"] = as_bool(rule["expr"])
    return found


_COMPARISON = re.compile(r"==|!=|>=|<=|>|<")


def as_bool(expr: str) -> str:
    """`expr` with `bool` after every comparison outside label matchers and strings, so that
    it returns 0/1 for every series it compares instead of filtering them out."""
    out, depth, quote, i = [], 0, "", 0
    while i < len(expr):
        char = expr[i]
        if quote:
            out.append(char)
            if char == "\\":
                out.append(expr[i + 1])
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
            out.append(char)
        elif char == "{":
            depth += 1
            out.append(char)
        elif char == "}":
            depth -= 1
            out.append(char)
        elif depth == 0 and (match := _COMPARISON.match(expr, i)):
            out.append(f"{match.group()} bool")
            i += len(match.group())
            continue
        else:
            out.append(char)
        i += 1
    return "".join(out)

"""monitoring/grafana: the provisioned dashboards are what their generator writes, one for the
gateway, one for events and one per subgraph, each query on the provisioned datasource."""

from __future__ import annotations

import json

import yaml

from devstack.stack import SUBGRAPHS
from tests.support.generated import assert_fresh
from tests.support.prometheus import DASHBOARDS, MONITORING, dashboard_expressions

GRAFANA = MONITORING / "grafana"


def test_the_dashboards_on_disk_are_what_the_generator_writes() -> None:
    assert_fresh(GRAFANA / "generate.py")


def test_a_dashboard_for_the_gateway_events_and_each_subgraph() -> None:
    names = {path.name for path in DASHBOARDS.glob("*.json")}
    assert names == {"gateway.json", "events.json"} | {
        f"subgraph-{sg.name}.json" for sg in SUBGRAPHS
    }
    titles = {}
    for path in DASHBOARDS.glob("*.json"):
        board = json.loads(path.read_text())
        titles[path.name] = [panel["title"] for panel in board["panels"]]
        assert board["uid"] and board["schemaVersion"] >= 36
    gateway = " ".join(titles["gateway.json"]).lower()
    for subject in ("operation", "error", "latency", "cache", "fetches", "breaker", "rate-limit"):
        assert subject in gateway, subject
    events = " ".join(titles["events.json"]).lower()
    for subject in ("published", "consumed", "lag", "parked", "outbox"):
        assert subject in events, subject
    subgraph = " ".join(titles["subgraph-users.json"]).lower()
    for subject in ("requests", "errors", "latency", "sql", "connection"):
        assert subject in subgraph, subject


def test_every_query_uses_the_provisioned_datasource_and_no_grafana_variable() -> None:
    datasources = yaml.safe_load(
        (GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text()
    )["datasources"]
    uid = datasources[0]["uid"]
    for path in DASHBOARDS.glob("*.json"):
        for panel in json.loads(path.read_text())["panels"]:
            assert panel["datasource"]["uid"] == uid
            for target in panel["targets"]:
                assert target["datasource"]["uid"] == uid
    for name, expr in dashboard_expressions().items():
        assert "$" not in expr, f"{name}: a Grafana variable cannot be checked against Prometheus"


def test_grafana_provisions_the_dashboards_folder_that_compose_mounts() -> None:
    providers = yaml.safe_load(
        (GRAFANA / "provisioning" / "dashboards" / "dashboards.yml").read_text()
    )["providers"]
    assert [p["options"]["path"] for p in providers] == ["/var/lib/grafana/dashboards"]

"""docker-compose.yml, checked without a Docker engine: valid against the Compose
specification's schema, secrets required, every variable it sets read by the process it runs,
ports, health checks and start order consistent with the services and monitoring/."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import pytest
import yaml

from devstack.processes import ROOT
from devstack.stack import GATEWAY_DEFAULT_PORT, SUBGRAPHS
from subgraphs.kit.settings import SubgraphSettings
from tests.support.compose import (
    COMPOSE_FILE,
    SECRETS,
    MissingVariable,
    compose,
    environment_of,
    raw_compose,
)
from tests.support.compose import SECRETS_SET as ENV
from tests.support.settings_env import (
    gateway_variables,
    nginx_template_variables,
    process_of,
    subgraph_variables,
)

SUBGRAPH_PORTS = {sg.name: sg.default_port for sg in SUBGRAPHS}


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    return dict(compose(ENV)["services"])


def test_the_file_is_valid_against_the_compose_specification_schema() -> None:
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE_FILE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("secret", SECRETS)
def test_each_secret_is_required_and_has_no_default(secret: str) -> None:
    with pytest.raises(MissingVariable, match=secret):
        compose({**ENV, secret: ""})
    text = COMPOSE_FILE.read_text()
    assert f"${{{secret}:?" in text
    assert not re.search(rf"\$\{{{secret}:?-", text), f"{secret} has a default"


def test_a_copy_of_the_example_env_file_is_not_enough_to_start() -> None:
    """`cp .env.example .env` alone: compose names the first secret still to set."""
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    with pytest.raises(MissingVariable):
        compose({secret: example[secret] for secret in SECRETS if secret in example})


def test_the_services_of_the_system(services: dict[str, Any]) -> None:
    expected = {"postgres", "redis", "gateway", "nginx", "prometheus", "grafana"}
    assert set(services) == expected | set(SUBGRAPH_PORTS)
    assert services["gateway"]["deploy"]["replicas"] == 2
    published = {
        name: [str(port) for port in service.get("ports", [])] for name, service in services.items()
    }
    assert {name: ports for name, ports in published.items() if ports} == {
        "nginx": ["8080:8080"],
        "prometheus": ["9090:9090"],
        "grafana": ["3000:3000"],
    }


def python_process(service: dict[str, Any]) -> str | None:
    """`gateway` or the subgraph a service runs (its command, `python -m` in the image)."""
    return process_of(service.get("command"))


def test_every_variable_set_for_a_python_service_is_one_its_process_reads(
    services: dict[str, Any],
) -> None:
    processes = {name: python_process(service) for name, service in services.items()}
    assert {p for p in processes.values() if p} == {"gateway", *SUBGRAPH_PORTS}
    for name, process in processes.items():
        if process is None:
            continue
        reads = gateway_variables() if process == "gateway" else subgraph_variables(process)
        unread = set(environment_of(services[name])) - reads
        assert not unread, f"{name} sets variables its process never reads: {sorted(unread)}"


def test_the_python_services_read_the_env_file_and_run_in_production(
    services: dict[str, Any],
) -> None:
    for service in services.values():
        process = python_process(service)
        if process is None:
            continue
        assert service["env_file"] == [{"path": ".env", "required": False}]
        environment = environment_of(service)
        if process == "gateway":
            assert environment["GATEWAY_ENV"] == "production"
        else:
            prefix = prefix_of(process)
            assert environment[f"{prefix}ENV"] == "production"
            assert environment[f"{prefix}DB_HOST"] == "postgres"
            assert environment["REDIS_ENABLED"] == "true", "events on Redis Streams"


def prefix_of(subgraph: str) -> str:
    return next(sg.env_prefix for sg in SUBGRAPHS if sg.name == subgraph)


def health_url(service: dict[str, Any]) -> str:
    test = " ".join(service["healthcheck"]["test"])
    return re.search(r"https?://[^'\" ]+", test).group()  # type: ignore[union-attr]


def test_ports_and_health_checks_match_what_each_process_serves(
    services: dict[str, Any],
) -> None:
    for name, port in SUBGRAPH_PORTS.items():
        environment = environment_of(services[name])
        assert environment[f"{prefix_of(name)}PORT"] == str(port)
        assert environment[f"{prefix_of(name)}HOST"] == "0.0.0.0"
        assert health_url(services[name]) == f"http://127.0.0.1:{port}/health"
        # The gateway sends each subgraph's requests to its compose name and port.
        gateway = environment_of(services["gateway"])
        assert gateway[f"GATEWAY_SUBGRAPH_{name.upper()}_URL"] == f"http://{name}:{port}/graphql"
    gateway = environment_of(services["gateway"])
    assert gateway["GATEWAY_PORT"] == str(GATEWAY_DEFAULT_PORT)
    assert health_url(services["gateway"]) == f"http://127.0.0.1:{GATEWAY_DEFAULT_PORT}/health"
    upstream = environment_of(services["nginx"])["GATEWAY_UPSTREAMS"]
    assert f"server gateway:{GATEWAY_DEFAULT_PORT} " in upstream
    assert health_url(services["nginx"]).startswith("http://127.0.0.1:8080/")
    assert health_url(services["prometheus"]) == "http://127.0.0.1:9090/-/ready"
    assert health_url(services["grafana"]) == "http://127.0.0.1:3000/api/health"


def test_every_service_has_a_health_check_and_starts_after_what_it_needs_is_healthy(
    services: dict[str, Any],
) -> None:
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
        for needed, condition in (service.get("depends_on") or {}).items():
            assert condition["condition"] == "service_healthy", (name, needed)
    for subgraph in SUBGRAPH_PORTS:
        assert set(services[subgraph]["depends_on"]) == {"postgres", "redis"}
    assert set(services["gateway"]["depends_on"]) == {"postgres", "redis", *SUBGRAPH_PORTS}
    assert set(services["nginx"]["depends_on"]) == {"gateway"}


def test_only_the_gateway_and_prometheus_share_a_network_with_the_subgraphs(
    services: dict[str, Any],
) -> None:
    internal = {name for name, s in services.items() if "internal" in s.get("networks", [])}
    assert internal == {"postgres", "redis", "gateway", "prometheus", *SUBGRAPH_PORTS}
    assert services["nginx"]["networks"] == ["edge"]


def test_postgres_creates_the_database_of_every_subgraph() -> None:
    script = (ROOT / "deploy" / "postgres" / "init-databases.sh").read_text()
    created = set(re.search(r"for database in ([^;]+);", script).group(1).split())  # type: ignore[union-attr]
    defaults = set()
    for sg in SUBGRAPHS:
        settings_cls = __import__(f"subgraphs.{sg.name}.app", fromlist=["SUBGRAPH"]).SUBGRAPH
        assert issubclass(settings_cls.settings_cls, SubgraphSettings)
        defaults.add(settings_cls.settings_cls.default_db_name)
    assert created == defaults


def test_mounted_files_exist_and_prometheus_reads_the_compose_config_and_token(
    services: dict[str, Any],
) -> None:
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which is missing"
    prometheus = services["prometheus"]
    config_flag = next(a for a in prometheus["command"] if a.startswith("--config.file="))
    mount = next(v for v in prometheus["volumes"] if v.startswith("./monitoring/prometheus:"))
    config_in_container = config_flag.split("=", 1)[1]
    folder_in_container = mount.split(":")[1]
    local = (
        ROOT / "monitoring/prometheus" / config_in_container.removeprefix(folder_in_container + "/")
    )
    assert local == ROOT / "monitoring/prometheus/compose.yml"
    scrape = yaml.safe_load(local.read_text())
    token_file = next(
        job["authorization"]["credentials_file"]
        for job in scrape["scrape_configs"]
        if job["job_name"] == "gateway"
    )
    assert prometheus["secrets"] == ["gateway_metrics_token"]
    assert token_file == "/run/secrets/gateway_metrics_token"
    assert raw_compose()["secrets"]["gateway_metrics_token"] == {
        "environment": "GATEWAY_METRICS_TOKEN"
    }
    grafana = services["grafana"]
    assert "./monitoring/grafana/dashboards:/var/lib/grafana/dashboards:ro" in grafana["volumes"]


def test_nginx_sets_only_variables_its_templates_use() -> None:
    environment = environment_of(compose(ENV)["services"]["nginx"])
    assert set(environment) <= nginx_template_variables()

"""deploy/k8s, checked without a cluster: the production overlay builds with kustomize, every
object is valid for the Kubernetes API, and the objects agree with each other and with the
processes: Services select Deployments, probes hit served paths, every variable is read,
secrets are only referenced, and only the gateway (and Prometheus) may reach the subgraphs."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import kubernetes_validate
import pytest
import yaml
from sqlalchemy.ext.asyncio import create_async_engine

from common.settings import GatewaySettings
from devstack.processes import ROOT
from devstack.stack import GATEWAY_DEFAULT_PORT, SUBGRAPHS
from gateway.app import create_app
from gateway.supergraph import load_supergraph
from gateway.transport import MockSubgraphClient, SubgraphResponse
from subgraphs.kit.app import create_service_app
from tests.support.dockerfile import edge_image_environment, edge_template_variables
from tests.support.generated import assert_fresh
from tests.support.servers import missing
from tests.support.settings_env import (
    gateway_variables,
    nginx_template_variables,
    process_of,
    subgraph_variables,
)

K8S = ROOT / "deploy" / "k8s"
NAMESPACE = "federated-platform"
#: The oldest Kubernetes the objects must be valid for (kubernetes-validate's offline schemas).
KUBERNETES_VERSION = "1.30.0"
SUBGRAPH_NAMES = {sg.name for sg in SUBGRAPHS}

Object = dict[str, Any]


@pytest.fixture(scope="module")
def objects() -> list[Object]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        missing("kubectl is not installed (Debian package kubernetes-client)")
    built = subprocess.run(
        [str(kubectl), "kustomize", str(K8S / "overlays" / "production")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    return [doc for doc in yaml.safe_load_all(built.stdout) if doc]


def of_kind(objects: list[Object], kind: str) -> dict[str, Object]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def containers(objects: list[Object]) -> Iterator[tuple[Object, Object]]:
    """(workload, container) of every Deployment and Job."""
    for workload in objects:
        if workload["kind"] in {"Deployment", "Job"}:
            for container in workload["spec"]["template"]["spec"]["containers"]:
                yield workload, container


def process_of_container(container: Object) -> str | None:
    return process_of(container.get("args"))


def matches(selector: Object, labels: dict[str, str]) -> bool:
    """Whether a label selector (matchLabels, matchExpressions with In) selects `labels`."""
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for expression in selector.get("matchExpressions") or []:
        assert expression["operator"] == "In"
        if labels.get(expression["key"]) not in expression["values"]:
            return False
    return True


def test_the_base_is_what_its_generator_writes() -> None:
    assert_fresh(K8S / "generate.py")


def test_every_object_is_valid_for_the_kubernetes_api(objects: list[Object]) -> None:
    for obj in objects:
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)


def test_the_system_is_all_there(objects: list[Object]) -> None:
    deployments = of_kind(objects, "Deployment")
    assert set(deployments) == {"gateway", "edge", *SUBGRAPH_NAMES}
    assert set(of_kind(objects, "HorizontalPodAutoscaler")) == set(deployments)
    assert set(of_kind(objects, "PodDisruptionBudget")) == set(deployments)
    assert set(of_kind(objects, "Ingress")) == {"shop"}
    assert {o["metadata"].get("namespace") for o in objects if o["kind"] != "Namespace"} == {
        NAMESPACE
    }
    job = of_kind(objects, "Job")["migrate"]
    migrated = {
        process_of_container(c)
        for c in job["spec"]["template"]["spec"]["containers"]
        if c["args"][1] == "migrate"
    }
    assert migrated == SUBGRAPH_NAMES


def test_every_service_selects_a_deployment_on_a_port_it_declares(objects: list[Object]) -> None:
    deployments = of_kind(objects, "Deployment").values()
    for service in of_kind(objects, "Service").values():
        selected = [
            d
            for d in deployments
            if matches(
                {"matchLabels": service["spec"]["selector"]},
                d["spec"]["template"]["metadata"]["labels"],
            )
        ]
        assert len(selected) == 1, service["metadata"]["name"]
        ports = {
            p["name"]: p["containerPort"]
            for c in selected[0]["spec"]["template"]["spec"]["containers"]
            for p in c.get("ports", [])
        }
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports, service["metadata"]["name"]
            assert port["port"] == ports[port["targetPort"]]
    for kind in ("HorizontalPodAutoscaler",):
        for hpa in of_kind(objects, kind).values():
            assert hpa["spec"]["scaleTargetRef"]["name"] in of_kind(objects, "Deployment")
    for pdb in of_kind(objects, "PodDisruptionBudget").values():
        assert [
            d
            for d in deployments
            if matches(pdb["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"])
        ], pdb["metadata"]["name"]


@functools.cache
def served_paths(process: str) -> set[str]:
    """The paths the process's app routes, from the app itself."""
    if process == "gateway":
        supergraph = load_supergraph(ROOT / "schema" / "supergraph.graphql")
        client = MockSubgraphClient(lambda _: SubgraphResponse({}))
        app = create_app(GatewaySettings(), supergraph=supergraph, client=client, environ={})
    else:
        subgraph = __import__(f"subgraphs.{process}.app", fromlist=["SUBGRAPH"]).SUBGRAPH
        engine = create_async_engine("sqlite+aiosqlite://")
        app = create_service_app(subgraph, subgraph.settings_cls(), engine=engine)
    return {getattr(route, "path", "") for route in app.routes}


def test_probes_hit_paths_and_ports_the_process_serves(objects: list[Object]) -> None:
    for workload, container in containers(objects):
        if workload["kind"] != "Deployment":
            continue
        ports = {p["name"] for p in container["ports"]}
        process = process_of_container(container)
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            spec = container[probe]
            action = spec.get("httpGet") or spec.get("tcpSocket")
            assert action["port"] in ports, (workload["metadata"]["name"], probe)
            if "httpGet" in spec and process is not None:
                assert spec["httpGet"]["path"] in served_paths(process), (process, probe)
        assert container["readinessProbe"]["httpGet"]["path"] == (
            "/" if process is None else "/health"
        )


def config_maps(objects: list[Object]) -> dict[str, dict[str, str]]:
    return {name: cm.get("data", {}) for name, cm in of_kind(objects, "ConfigMap").items()}


def variables_of(container: Object, maps: dict[str, dict[str, str]]) -> dict[str, str | None]:
    """Every variable a container gets: from its ConfigMaps, then its own env (value or None for
    a secret)."""
    found: dict[str, str | None] = {}
    for source in container.get("envFrom", []):
        found.update(maps[source["configMapRef"]["name"]])
    for item in container.get("env", []):
        found[item["name"]] = item.get("value")
    return found


def test_every_variable_is_one_the_process_reads(objects: list[Object]) -> None:
    maps = config_maps(objects)
    for workload, container in containers(objects):
        process = process_of_container(container)
        given = set(variables_of(container, maps))
        if process is None:  # the edge: the template variables of nginx/, all of them set
            assert given <= nginx_template_variables(), given - nginx_template_variables()
            assert edge_template_variables() <= given | set(edge_image_environment())
            continue
        reads = gateway_variables() if process == "gateway" else subgraph_variables(process)
        unread = given - reads
        assert not unread, (workload["metadata"]["name"], sorted(unread))


def test_ports_and_addresses_agree(objects: list[Object]) -> None:
    maps = config_maps(objects)
    services = of_kind(objects, "Service")
    for _, container in containers(objects):
        process = process_of_container(container)
        if process in SUBGRAPH_NAMES and container["args"][1] == "serve":
            prefix = next(sg.env_prefix for sg in SUBGRAPHS if sg.name == process)
            env = variables_of(container, maps)
            assert env[f"{prefix}PORT"] == str(container["ports"][0]["containerPort"])
            assert env[f"{prefix}HOST"] == "0.0.0.0"
    gateway = maps["gateway-config"]
    assert gateway["GATEWAY_PORT"] == str(GATEWAY_DEFAULT_PORT)
    for sg in SUBGRAPHS:
        url = gateway[f"GATEWAY_SUBGRAPH_{sg.name.upper()}_URL"]
        host, port = re.match(r"http://([a-z-]+):(\d+)/graphql$", url).groups()  # type: ignore[union-attr]
        assert int(port) == services[host]["spec"]["ports"][0]["port"] == sg.default_port


def test_secrets_are_referenced_never_written(objects: list[Object]) -> None:
    assert not of_kind(objects, "Secret")
    referenced = {
        (item["valueFrom"]["secretKeyRef"]["name"], item["valueFrom"]["secretKeyRef"]["key"])
        for _, container in containers(objects)
        for item in container.get("env", [])
        if "secretKeyRef" in item.get("valueFrom", {})
    }
    operations = (ROOT / "docs" / "operations.md").read_text()
    for name, key in referenced:
        assert f"`{name}`" in operations and f"`{key}`" in operations, (name, key)
    tls = {t["secretName"] for i in of_kind(objects, "Ingress").values() for t in i["spec"]["tls"]}
    assert all(f"`{name}`" in operations for name in tls)


def test_every_container_is_resourced_and_unprivileged(objects: list[Object]) -> None:
    for workload, container in containers(objects):
        name = f"{workload['metadata']['name']}/{container['name']}"
        for bound in ("requests", "limits"):
            assert {"cpu", "memory"} <= set(container["resources"][bound]), name
        security = container["securityContext"]
        assert security["allowPrivilegeEscalation"] is False, name
        assert security["readOnlyRootFilesystem"] is True, name
        pod = workload["spec"]["template"]["spec"]["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] != 0, name


def allowed_sources(objects: list[Object], labels: dict[str, str]) -> list[Object]:
    """The `from` peers of every NetworkPolicy selecting pods with `labels` (ingress)."""
    sources = []
    for policy in of_kind(objects, "NetworkPolicy").values():
        if matches(policy["spec"]["podSelector"], labels):
            assert "Ingress" in policy["spec"]["policyTypes"]
            for rule in policy["spec"].get("ingress", []):
                sources.extend(rule["from"])
    return sources


def test_only_the_gateway_and_prometheus_reach_the_subgraphs(objects: list[Object]) -> None:
    deployments = of_kind(objects, "Deployment")
    deny = of_kind(objects, "NetworkPolicy")["default-deny-ingress"]["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress"]}
    gateway_labels = deployments["gateway"]["spec"]["template"]["metadata"]["labels"]
    for name in SUBGRAPH_NAMES:
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        sources = allowed_sources(objects, labels)
        in_namespace = [s for s in sources if "namespaceSelector" not in s]
        assert in_namespace and all(matches(s["podSelector"], gateway_labels) for s in in_namespace)
        for peer in (s for s in sources if "namespaceSelector" in s):
            assert peer["namespaceSelector"]["matchLabels"] == {
                "kubernetes.io/metadata.name": "monitoring"
            }
            assert peer["podSelector"]["matchLabels"] == {"app.kubernetes.io/name": "prometheus"}
        for other in ("edge", *(SUBGRAPH_NAMES - {name})):
            other_labels = deployments[other]["spec"]["template"]["metadata"]["labels"]
            assert not any(matches(s["podSelector"], other_labels) for s in in_namespace), other


def test_prometheus_finds_every_pod_through_the_headless_services(objects: list[Object]) -> None:
    scrape = yaml.safe_load((ROOT / "monitoring" / "prometheus" / "kubernetes.yml").read_text())
    services = of_kind(objects, "Service")
    for job in scrape["scrape_configs"]:
        (sd,) = job["dns_sd_configs"]
        (dns_name,) = sd["names"]
        service, namespace = dns_name.split(".")[:2]
        assert namespace == NAMESPACE
        assert services[service]["spec"]["clusterIP"] == "None", service
        assert services[service]["spec"]["ports"][0]["port"] == sd["port"]
        assert service == f"{job['job_name']}-pods"
        if "authorization" in job:  # the token Secret mounted into Prometheus
            secret_name, key = job["authorization"]["credentials_file"].split("/")[-2:]
            env = next(
                item
                for _, c in containers(objects)
                for item in c.get("env", [])
                if item["name"] == "GATEWAY_METRICS_TOKEN"
            )
            assert env["valueFrom"]["secretKeyRef"] == {"name": secret_name, "key": key}

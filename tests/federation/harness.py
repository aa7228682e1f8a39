"""Scenarios, their processes (subgraph servers, our gateway, @apollo/gateway), and answers.

Shared by the pytest modules and by `python -m tests.federation.record`.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import httpx

from common.auth import AuthSettings, issue_token
from devstack.processes import ROOT, Service, free_port, start, stop, wait_healthy
from tests.federation.model import Operation

FEDERATION_DIR = Path(__file__).resolve().parent
SCENARIOS_DIR = FEDERATION_DIR / "scenarios"
REFERENCE_DIR = ROOT / "tests" / "reference"
REQUEST_TIMEOUT = 30.0
#: `AUTH_JWT_SECRET` of every scenario gateway (a scenario's GATEWAY_ENV may set another); the
#: harness signs operations' tokens with it
JWT_SECRET = "federation-scenarios-jwt-secret-0123456789"

#: one pooled client for every request of the suite (a client per request costs ~50 ms)
_http: httpx.Client | None = None


def http() -> httpx.Client:
    global _http
    if _http is None:
        _http = httpx.Client(timeout=REQUEST_TIMEOUT, trust_env=False)
    return _http


def graph_env_name(graph: str) -> str:
    """`GATEWAY_SUBGRAPH_<NAME>_URL` for a graph name (non-alphanumerics -> `_`)."""
    return f"GATEWAY_SUBGRAPH_{re.sub(r'[^A-Za-z0-9]', '_', graph).upper()}_URL"


def composition_url(graph: str) -> str:
    """The URL written into the checked-in supergraph (always overridden at run time)."""
    return f"http://{re.sub(r'[^A-Za-z0-9-]', '-', graph)}.scenario.invalid/graphql"


# --------------------------------------------------------------------------- scenarios


def _load_module(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Scenario:
    """One folder under `scenarios/`: subgraph SDLs, data, operations, supergraph, answers."""

    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def subgraph_names(self) -> list[str]:
        return sorted(p.stem for p in (self.path / "subgraphs").glob("*.graphql"))

    def sdl(self, graph: str) -> str:
        return (self.path / "subgraphs" / f"{graph}.graphql").read_text()

    @property
    def supergraph_path(self) -> Path:
        return self.path / "supergraph.graphql"

    @cached_property
    def _operations_module(self) -> Any:
        return _load_module(self.path / "operations.py", f"scenario_ops_{self.name}")

    @property
    def operations(self) -> list[Operation]:
        return list(self._operations_module.OPERATIONS)

    def operation(self, name: str) -> Operation:
        for op in self.operations:
            if op.name == name:
                return op
        raise KeyError(name)

    @property
    def gateway_env(self) -> dict[str, str]:
        """Extra environment for our gateway (e.g. a short subgraph timeout)."""
        return dict(getattr(self._operations_module, "GATEWAY_ENV", {}))

    @property
    def jwt_secret(self) -> str:
        """The `AUTH_JWT_SECRET` our gateway runs with for this scenario."""
        return self.gateway_env.get("AUTH_JWT_SECRET", JWT_SECRET)

    @property
    def reference_unsupported(self) -> str | None:
        """Why @apollo/gateway cannot serve this scenario (`REFERENCE_UNSUPPORTED`), if it
        cannot: then every expected answer is hand-written and no differential test runs."""
        reason = getattr(self._operations_module, "REFERENCE_UNSUPPORTED", None)
        return str(reason) if reason else None

    @property
    def reference_options(self) -> dict[str, Any]:
        """Options for apollo_gateway_server.mjs (e.g. `timeoutMs`)."""
        return dict(getattr(self._operations_module, "REFERENCE_OPTIONS", {}))

    def expected_path(self, op: Operation) -> Path:
        return self.path / "expected" / f"{op.name}.json"

    def expected(self, op: Operation) -> dict[str, Any] | None:
        path = self.expected_path(op)
        if not path.exists():
            return None
        return json.loads(path.read_text())


def all_scenarios() -> list[Scenario]:
    return [
        Scenario(p)
        for p in sorted(SCENARIOS_DIR.iterdir())
        if p.is_dir() and (p / "operations.py").exists()
    ]


# --------------------------------------------------------------------------- answers


def _error(error: dict[str, Any]) -> dict[str, Any]:
    extensions = error.get("extensions") or {}
    return {
        "message": error.get("message"),
        "path": error.get("path"),
        "code": extensions.get("code"),
    }


def normalise(payload: dict[str, Any]) -> dict[str, Any]:
    """What we compare of an answer: `data`, and per error its message, path and code
    (errors sorted, locations and other extensions ignored)."""
    result: dict[str, Any] = {}
    if "data" in payload:
        result["data"] = payload["data"]
    errors = payload.get("errors")
    if errors:
        result["errors"] = sorted((_error(e) for e in errors), key=lambda e: json.dumps(e))
    return result


def comparable(expected: dict[str, Any]) -> dict[str, Any]:
    """An expected file minus its `_note`."""
    return {k: v for k, v in expected.items() if not k.startswith("_")}


def ordered(value: Any) -> Any:
    """Dicts as lists of pairs, so that comparing also compares key order."""
    if isinstance(value, dict):
        return [[k, ordered(v)] for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


def assert_same_answer(actual: dict[str, Any], expected: dict[str, Any], what: str) -> None:
    assert actual == expected, f"{what}: answers differ"
    assert ordered(actual) == ordered(expected), f"{what}: same values, different field order"


# --------------------------------------------------------------------------- processes


def node_available() -> str | None:
    """None when node and the reference packages are installed, else why not."""
    if shutil.which("node") is None:
        return "node is not installed"
    for package in (
        "@apollo/gateway",
        "@apollo/server",
        "@apollo/composition",
        "@graphql-hive/gateway",
    ):
        if not (REFERENCE_DIR / "node_modules" / package).is_dir():
            return f"{package} is not installed in {REFERENCE_DIR} (run `make reference`)"
    return None


def compose_all(scenarios: list[Scenario]) -> dict[str, str]:
    """Each scenario's supergraph, composed by @apollo/composition in one Node run
    (compose_many.mjs); RuntimeError naming the scenarios that do not compose."""
    payload = {
        s.name: [{"name": g, "url": composition_url(g), "sdl": s.sdl(g)} for g in s.subgraph_names]
        for s in scenarios
    }
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run(
        [node, str(REFERENCE_DIR / "compose_many.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REFERENCE_DIR,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"compose_many.mjs failed:\n{done.stdout}{done.stderr}")
    results = json.loads(done.stdout)
    failed = {name: r["errors"] for name, r in results.items() if "errors" in r}
    if failed:
        raise RuntimeError(f"composition failed: {json.dumps(failed, indent=2)}")
    return {name: r["supergraphSdl"] for name, r in results.items()}


def compose(scenario: Scenario) -> str:
    """The scenario's supergraph, composed by @apollo/composition."""
    return compose_all([scenario])[scenario.name]


def _start_node(service: Service, script: str, *args: str) -> Service:
    node = shutil.which("node")
    assert node is not None
    assert service.log_path is not None
    service.log_path.parent.mkdir(parents=True, exist_ok=True)
    output = service.log_path.open("wb")
    service.process = subprocess.Popen(
        [node, str(REFERENCE_DIR / script), *args],
        cwd=REFERENCE_DIR,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return service


def token_headers(op: Operation, secret: str) -> dict[str, str]:
    """`Authorization: Bearer <jwt>` for the operation's token, signed with `secret`."""
    if op.token is None:
        return {}
    extra = {"uid": op.token.user_id} if op.token.user_id is not None else None
    jwt = issue_token(
        op.token.subject,
        list(op.token.roles),
        AuthSettings(auth_jwt_secret=secret),
        extra_claims=extra,
    )
    return {"Authorization": f"Bearer {jwt}"}


@dataclass
class Gateway:
    name: str
    service: Service

    def post(self, op: Operation, headers: dict[str, str] | None = None) -> httpx.Response:
        body: dict[str, Any] = {"query": op.query}
        if op.variables is not None:
            body["variables"] = op.variables
        if op.operation_name is not None:
            body["operationName"] = op.operation_name
        return http().post(f"{self.service.url}/graphql", json=body, headers=headers)


@dataclass
class RunningScenario:
    """The subgraph servers of one scenario and the gateways in front of them."""

    scenario: Scenario
    log_dir: Path
    ports: dict[str, int]
    subgraphs: Service
    gateways: dict[str, Gateway] = field(default_factory=dict)

    def subgraph_url(self, graph: str) -> str:
        return f"http://127.0.0.1:{self.ports[graph]}"

    def reset(self) -> None:
        first = next(iter(self.ports))
        http().post(f"{self.subgraph_url(first)}/_requests/reset").raise_for_status()

    def fail(self, graph: str, failure: dict[str, Any]) -> None:
        http().post(f"{self.subgraph_url(graph)}/_fail", json=failure).raise_for_status()

    def requests(self) -> dict[str, list[dict[str, Any]]]:
        """Every request each subgraph received since the last reset."""
        return {
            g: http().get(f"{self.subgraph_url(g)}/_requests").json()["requests"]
            for g in self.ports
        }

    def run(self, gateway: str, op: Operation) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        """Run `op` through one gateway: its normalised answer and the subgraph requests."""
        self.reset()
        for graph, failure in op.failures.items():
            self.fail(graph, failure)
        response = self.gateways[gateway].post(op, token_headers(op, self.scenario.jwt_secret))
        try:
            payload = response.json()
        except ValueError:
            payload = {"_http": response.status_code, "_body": response.text[:2000]}
        requests = self.requests()
        self.reset()
        return normalise(payload), requests

    def spawn_our_gateway(self) -> Gateway:
        """Start our gateway (`python -m gateway`); `wait()` until it is healthy."""
        supergraph = self.log_dir / "supergraph.graphql"
        shutil.copyfile(self.scenario.supergraph_path, supergraph)
        port = free_port()
        env = {graph_env_name(g): f"{self.subgraph_url(g)}/graphql" for g in self.ports}
        env.update(
            {
                "GATEWAY_LOG_LEVEL": "warning",
                "AUTH_JWT_SECRET": self.scenario.jwt_secret,
                **self.scenario.gateway_env,
            }
        )
        service = start(
            Service(
                name=f"gateway[{self.scenario.name}]",
                args=["-m", "gateway", "--supergraph", str(supergraph), "--port", str(port)],
                port=port,
                env=env,
                log_path=self.log_dir / "gateway.log",
            )
        )
        self.gateways["ours"] = Gateway("ours", service)
        return self.gateways["ours"]

    def spawn_reference_gateway(self) -> Gateway:
        """Start @apollo/gateway (apollo_gateway_server.mjs); `wait()` until it is healthy."""
        return self._spawn_node_gateway(
            "apollo",
            "apollo-gateway",
            "apollo_gateway_server.mjs",
            json.dumps(self.scenario.reference_options),
        )

    def spawn_hive_gateway(self) -> Gateway:
        """Start @graphql-hive/gateway (hive_gateway_server.mjs), the second reference, for
        operations @apollo/gateway is known to answer wrongly; `wait()` until it is healthy."""
        return self._spawn_node_gateway("hive", "hive-gateway", "hive_gateway_server.mjs")

    def _spawn_node_gateway(self, key: str, name: str, script: str, *options: str) -> Gateway:
        """Start a reference gateway script of tests/reference on the scenario's supergraph, its
        subgraphs at this run's servers, as `self.gateways[key]`."""
        port = free_port()
        overrides = {g: f"{self.subgraph_url(g)}/graphql" for g in self.ports}
        service = _start_node(
            Service(
                name=f"{name}[{self.scenario.name}]",
                args=[],
                port=port,
                log_path=self.log_dir / f"{name}.log",
            ),
            script,
            str(self.scenario.supergraph_path),
            str(port),
            json.dumps(overrides),
            *options,
        )
        self.gateways[key] = Gateway(key, service)
        return self.gateways[key]

    def ensure(self, *, ours: bool = False, apollo: bool = False, hive: bool = False) -> None:
        """Start the missing gateways (in parallel), then wait until everything is healthy."""
        if ours and "ours" not in self.gateways:
            self.spawn_our_gateway()
        if apollo and "apollo" not in self.gateways:
            self.spawn_reference_gateway()
        if hive and "hive" not in self.gateways:
            self.spawn_hive_gateway()
        self.wait()

    def wait(self) -> None:
        """Wait until the subgraph servers and the gateways answer /health."""
        try:
            for graph, port in self.ports.items():
                wait_healthy(
                    Service(
                        name=f"subgraph {graph}",
                        args=[],
                        port=port,
                        process=self.subgraphs.process,
                        log_path=self.subgraphs.log_path,
                    ),
                    timeout=60,
                )
            for gateway in self.gateways.values():
                wait_healthy(gateway.service, timeout=60)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        stop([g.service for g in self.gateways.values()] + [self.subgraphs], grace=5)


def start_scenario(
    scenario: Scenario,
    log_dir: Path | None = None,
    *,
    ours: bool = False,
    apollo: bool = False,
    hive: bool = False,
) -> RunningScenario:
    """Start the scenario's subgraph servers (one process, one port per subgraph) and the
    asked-for gateways, all at once; return when all are healthy."""
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix=f"fed-{scenario.name}-"))
    ports = {g: free_port() for g in scenario.subgraph_names}
    service = start(
        Service(
            name=f"subgraphs[{scenario.name}]",
            args=[
                "-m",
                "tests.federation.subgraph_server",
                str(scenario.path),
                *(f"{g}={p}" for g, p in ports.items()),
            ],
            port=next(iter(ports.values())),
            log_path=log_dir / "subgraphs.log",
        )
    )
    run = RunningScenario(scenario, log_dir, ports, service)
    run.ensure(ours=ours, apollo=apollo, hive=hive)
    return run


@contextlib.contextmanager
def running(
    scenario: Scenario, *, ours: bool = True, apollo: bool = False, hive: bool = False
) -> Any:
    """Context manager: the scenario's subgraphs and the asked-for gateways, stopped after."""
    run = start_scenario(scenario, ours=ours, apollo=apollo, hive=hive)
    try:
        yield run
    finally:
        run.stop()


def check_requests(op: Operation, requests: dict[str, list[dict[str, Any]]]) -> list[str]:
    """What the subgraph requests of `op` break of its declared expectations (empty: none)."""
    problems: list[str] = []
    if op.requests is not None:
        counts = {g: len(r) for g, r in requests.items() if r}
        wanted = {g: n for g, n in op.requests.items() if n}
        if counts != wanted:
            problems.append(f"subgraph requests {counts}, expected {wanted}")
    if op.representations is not None:
        seen = {
            g: [len(entity_representations(b)) for b in r if "_entities" in (b.get("query") or "")]
            for g, r in requests.items()
        }
        seen = {g: v for g, v in seen.items() if v}
        wanted_reps = {g: v for g, v in op.representations.items() if v}
        if seen != wanted_reps:
            problems.append(f"_entities representation counts {seen}, expected {wanted_reps}")
    if op.order is not None:
        flat = sorted((b["seq"], g) for g, r in requests.items() for b in r)
        order = [g for _, g in flat]
        if order != op.order:
            problems.append(f"subgraphs saw requests in order {order}, expected {op.order}")
    for graph, bodies in requests.items():
        for body in bodies:
            reps = entity_representations(body)
            keys = [json.dumps(r, sort_keys=True) for r in reps]
            if len(set(keys)) != len(keys):
                problems.append(f"{graph}: duplicate representations in one _entities call: {reps}")
    return problems


def entity_representations(body: dict[str, Any]) -> list[Any]:
    """The representations of an `_entities` request (from its variables), else []."""
    variables = body.get("variables") or {}
    for value in variables.values():
        if (
            isinstance(value, list)
            and value
            and isinstance(value[0], dict)
            and "__typename" in value[0]
        ):
            return value
    return []


def env_without_ci() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "CI"}

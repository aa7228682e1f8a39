"""Which environment variables each process reads: from its settings classes (pydantic-settings),
and the gateway's per-subgraph URL overrides; the edge's are its nginx templates' placeholders.
Deployment files (compose, Kubernetes) may set no other."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import import_module

from pydantic_settings import BaseSettings

from common.auth.settings import AuthSettings
from common.settings import EventSettings, GatewaySettings
from common.tracing import TracingSettings
from devstack.processes import ROOT
from gateway.app.subgraph_urls import url_variable
from gateway.supergraph import load_supergraph


def variables(settings_cls: type[BaseSettings]) -> set[str]:
    """The variable names a settings class reads: its prefix plus each field, or the field's
    own alias."""
    prefix = str(settings_cls.model_config.get("env_prefix") or "")
    names = set()
    for name, info in settings_cls.model_fields.items():
        alias = info.validation_alias
        names.add(alias.upper() if isinstance(alias, str) else f"{prefix}{name}".upper())
    return names


@functools.cache
def gateway_variables() -> frozenset[str]:
    """What the gateway process reads."""
    graphs = load_supergraph(ROOT / "schema" / "supergraph.graphql").graphs
    return frozenset(
        variables(GatewaySettings)
        | variables(AuthSettings)
        | variables(TracingSettings)
        | {url_variable(graph) for graph in graphs}
    )


@functools.cache
def subgraph_variables(name: str) -> frozenset[str]:
    """What the process of subgraph `name` reads (`GATEWAY_ENV` is not among them: a subgraph's
    own `*_ENV` decides how strict its secret checks are)."""
    subgraph = import_module(f"subgraphs.{name}.app").SUBGRAPH
    auth = variables(AuthSettings) - {"GATEWAY_ENV"}
    return (
        variables(subgraph.settings_cls)
        | auth
        | variables(EventSettings)
        | variables(TracingSettings)
    )


def process_of(command: Sequence[str] | None) -> str | None:
    """`gateway`, or the subgraph whose process the image's command runs (`python -m` ...);
    None for another image."""
    command = list(command or [])
    if command == ["gateway"]:
        return "gateway"
    if command and command[0].startswith("subgraphs."):
        return command[0].split(".")[1]
    return None


def nginx_template_variables() -> set[str]:
    """The `${NAME}` placeholders of nginx/templates/, which the edge image fills from its
    environment (nginx/README.md)."""
    templates = ROOT / "nginx" / "templates"
    assert templates.is_dir(), "nginx/templates/ (the edge's configuration) is missing"
    used: set[str] = set()
    for template in templates.glob("*.template"):
        used |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", template.read_text()))
    return used

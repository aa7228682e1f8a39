"""The nginx edge of `make edge`: its config rendered from nginx/ under var/, and its process.

The templates in nginx/templates/ carry `${NAME}` placeholders (envsubst's syntax, which the
nginx container image fills from the environment); `render` fills them for a local run.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template

from common.web import PAGE_CONTENT_SECURITY_POLICY
from devstack.processes import ROOT, Service

NGINX_DIR = ROOT / "nginx"
EDGE_DEFAULT_PORT = 8080
#: nginx's media type table, as Debian's nginx package installs it
MIME_TYPES = Path("/etc/nginx/mime.types")


@dataclass(frozen=True)
class Edge:
    """One nginx in front of gateway replicas (`host:port` each)."""

    port: int
    upstreams: Sequence[str]
    run_dir: Path
    log_dir: Path
    frontend_root: Path = ROOT / "frontend" / "dist"
    rate_limit: str = "50r/s"
    rate_burst: int = 100

    @property
    def config(self) -> Path:
        """The main config file `render` writes."""
        return self.run_dir / "nginx.conf"

    def variables(self) -> dict[str, str]:
        """The template variables (nginx/README.md lists them)."""
        return {
            "NGINX_LISTEN": f"127.0.0.1:{self.port}",
            "GATEWAY_UPSTREAMS": " ".join(f"server {u} max_fails=2;" for u in self.upstreams),
            "FRONTEND_ROOT": str(self.frontend_root),
            "NGINX_SNIPPETS": str(NGINX_DIR / "snippets"),
            "NGINX_CACHE_DIR": str(self.run_dir / "cache"),
            "NGINX_RATE_LIMIT": self.rate_limit,
            "NGINX_RATE_BURST": str(self.rate_burst),
            "SHOP_CONTENT_SECURITY_POLICY": PAGE_CONTENT_SECURITY_POLICY,
            "NGINX_RUN_DIR": str(self.run_dir),
            "NGINX_LOG_DIR": str(self.log_dir),
            "NGINX_MIME_TYPES": str(MIME_TYPES),
            "NGINX_USER_DIRECTIVE": _user_directive(),
        }


def _user_directive() -> str:
    """`user` for a master started as root (else workers run as `nobody` and cannot write the
    cache and temp files under var/); nothing otherwise (nginx would warn that it is ignored)."""
    if os.geteuid() != 0:
        return ""
    return f"user {pwd.getpwuid(0).pw_name};"


def fill(template: str, variables: Mapping[str, str]) -> str:
    """`${NAME}` placeholders replaced; nginx's own `$variables` stay (`KeyError` for a missing
    `${NAME}`, so a typo fails here rather than in nginx)."""
    filled = Template(template).safe_substitute(variables)
    leftover = [name for name in _placeholders(filled) if name.isupper()]
    if leftover:
        raise KeyError(f"template variables without a value: {', '.join(sorted(leftover))}")
    return filled


def _placeholders(text: str) -> list[str]:
    return [m.group("braced") for m in Template.pattern.finditer(text) if m.group("braced")]


def render(edge: Edge) -> Path:
    """Write the main config and conf.d/shop.conf under `edge.run_dir`; return the main one."""
    variables = edge.variables()
    for directory in ("conf.d", "cache", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (edge.run_dir / directory).mkdir(parents=True, exist_ok=True)
    edge.log_dir.mkdir(parents=True, exist_ok=True)
    templates = NGINX_DIR / "templates"
    (edge.run_dir / "conf.d" / "shop.conf").write_text(
        fill((templates / "shop.conf.template").read_text(), variables)
    )
    edge.config.write_text(fill((templates / "nginx.conf.template").read_text(), variables))
    return edge.config


def nginx_binary() -> str | None:
    """The nginx executable (Debian installs it in /usr/sbin, often not on a user's PATH)."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    return found


def test_config(nginx: str, edge: Edge) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on the rendered config."""
    return subprocess.run(
        [nginx, *_arguments(edge), "-t"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def edge_service(nginx: str, edge: Edge) -> Service:
    """The nginx process of `edge` (render it first); healthy once it proxies /health."""
    return Service(
        name="nginx",
        executable=nginx,
        args=_arguments(edge),
        port=edge.port,
        env={"PATH": os.environ.get("PATH", "")},
        log_path=edge.log_dir / "nginx.log",
    )


def _arguments(edge: Edge) -> list[str]:
    # -e: the error log from the very start (else nginx tries /var/log/nginx as a non-root user).
    return [
        "-p",
        str(edge.run_dir),
        "-c",
        str(edge.config),
        "-e",
        str(edge.log_dir / "nginx-error.log"),
    ]

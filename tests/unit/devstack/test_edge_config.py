"""The nginx templates (nginx/) and the values `make edge` fills them with agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.web import PAGE_CONTENT_SECURITY_POLICY
from devstack.edge import NGINX_DIR, Edge, fill


def edge(tmp_path: Path) -> Edge:
    return Edge(
        port=8080,
        upstreams=["127.0.0.1:4000", "127.0.0.1:4001"],
        run_dir=tmp_path / "run",
        log_dir=tmp_path / "log",
    )


@pytest.mark.parametrize("name", ["shop.conf.template", "nginx.conf.template"])
def test_every_placeholder_has_a_value_and_nginx_variables_stay(tmp_path: Path, name: str) -> None:
    filled = fill((NGINX_DIR / "templates" / name).read_text(), edge(tmp_path).variables())
    assert "${" not in filled
    if name == "shop.conf.template":
        assert "$http_authorization" in filled  # nginx's own variables are left alone
        assert "server 127.0.0.1:4000 max_fails=2; server 127.0.0.1:4001 max_fails=2;" in filled
        assert f'"{PAGE_CONTENT_SECURITY_POLICY}"' in filled


def test_a_placeholder_without_a_value_is_refused() -> None:
    with pytest.raises(KeyError, match="NGINX_TYPO"):
        fill("listen ${NGINX_TYPO}; set $x $host;", {})


def test_snippets_have_no_placeholders() -> None:
    # The nginx image renders only templates/; snippets are included as they are.
    for snippet in (NGINX_DIR / "snippets").glob("*.conf"):
        assert "${" not in snippet.read_text(), snippet.name

"""Spec links of a supergraph: `@link(url:, as:, for:, import:)` (and the older `@core(feature:)`).

A linked spec owns elements whose local names depend on the link: with `@link(url: ".../join/v0.3",
as: "j")` the directive `@join__type` is spelled `@j__type`; an `import:` entry gives an element
its own local name. See https://specs.apollo.dev/link/v1.0/#@link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from graphql import DirectiveNode, value_from_ast_untyped

from common.federation.errors import SupergraphError

LINK_IDENTITY = "https://specs.apollo.dev/link"
CORE_IDENTITY = "https://specs.apollo.dev/core"
JOIN_IDENTITY = "https://specs.apollo.dev/join"
INACCESSIBLE_IDENTITY = "https://specs.apollo.dev/inaccessible"

_VERSION = re.compile(r"^v(\d+)\.(\d+)$")


@dataclass(frozen=True)
class SpecUrl:
    """A spec URL split into identity (`https://specs.apollo.dev/join`), name and version."""

    identity: str
    name: str
    version: tuple[int, int]

    @classmethod
    def parse(cls, url: str) -> SpecUrl:
        """Split `https://specs.apollo.dev/join/v0.3`; raise `SupergraphError` if malformed."""
        head, _, last = url.rstrip("/").rpartition("/")
        match = _VERSION.match(last)
        name = head.rpartition("/")[2]
        if not match or not name:
            raise SupergraphError(
                f"malformed spec URL {url!r}: expected .../<name>/v<major>.<minor>"
            )
        return cls(identity=head, name=name, version=(int(match[1]), int(match[2])))

    @property
    def version_text(self) -> str:
        """The version as written in the URL (`v0.3`)."""
        return f"v{self.version[0]}.{self.version[1]}"

    def __str__(self) -> str:
        return f"{self.identity}/{self.version_text}"


@dataclass(frozen=True)
class Link:
    """One linked spec and the local names of its elements."""

    url: SpecUrl
    alias: str | None = None
    purpose: str | None = None
    #: element as the spec names it (`@key`, `FieldSet`) -> local name (`@k`, `FieldSet`)
    imports: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def prefix(self) -> str:
        """The namespace of non-imported elements: the `as:` name, else the spec's name."""
        return self.alias or self.url.name

    def directive_name(self, element: str) -> str:
        """Local name (without `@`) of the spec's directive `element` (`type` -> `join__type`)."""
        imported = self.imports.get(f"@{element}")
        if imported is not None:
            return imported.removeprefix("@")
        if element == self.url.name:
            return self.prefix
        return f"{self.prefix}__{element}"

    def type_name(self, element: str) -> str:
        """Local name of the spec's type `element` (`Graph` -> `join__Graph`)."""
        return self.imports.get(element) or f"{self.prefix}__{element}"

    def owns_directive(self, name: str) -> bool:
        """Whether the directive named `name` here belongs to this spec."""
        return (
            name == self.prefix
            or name.startswith(f"{self.prefix}__")
            or f"@{name}" in self.imports.values()
        )

    def owns_type(self, name: str) -> bool:
        """Whether the type named `name` here belongs to this spec."""
        return name.startswith(f"{self.prefix}__") or name in self.imports.values()


@dataclass(frozen=True)
class LinkedSpecs:
    """Every spec linked from the schema definition, in document order."""

    links: tuple[Link, ...]

    def find(self, identity: str) -> Link | None:
        """The link to the spec with this identity, if linked."""
        return next((link for link in self.links if link.url.identity == identity), None)

    def check_supported(self, supported: frozenset[str]) -> None:
        """`SupergraphError` for the first link `for: EXECUTION|SECURITY` to an unknown spec."""
        for link in self.links:
            if link.purpose in ("EXECUTION", "SECURITY") and str(link.url) not in supported:
                raise SupergraphError(
                    f"feature {link.url} is for: {link.purpose} but this gateway does not support"
                    " it; compose without it or use a gateway that does"
                )

    def owns_directive(self, name: str) -> bool:
        """Whether some linked spec owns this directive name."""
        return any(link.owns_directive(name) for link in self.links)

    def owns_type(self, name: str) -> bool:
        """Whether some linked spec owns this type name."""
        return any(link.owns_type(name) for link in self.links)


def read_links(schema_directives: Iterable[DirectiveNode]) -> LinkedSpecs:
    """Read `@link`/`@core` applications on the schema definition (bootstrapping their own name)."""
    directives = list(schema_directives)
    # `@link` may itself be renamed (`@link(url: ".../link/v1.0", as: "l")` is spelled `@l`), so
    # its local name is the one of the application that links the link spec itself.
    bootstrap = next(
        (
            d.name.value
            for d in directives
            if str(_url(d)).startswith((LINK_IDENTITY + "/", CORE_IDENTITY + "/"))
        ),
        None,
    )
    links: list[Link] = []
    for directive in directives:
        url = _url(directive)
        if directive.name.value != bootstrap or url is None:
            continue
        args = _arguments(directive)
        alias = args.get("as")
        purpose = args.get("for")
        links.append(
            Link(
                url=SpecUrl.parse(url),
                alias=alias if isinstance(alias, str) else None,
                purpose=purpose if isinstance(purpose, str) else None,
                imports=MappingProxyType(_imports(args.get("import"), url)),
            )
        )
    return LinkedSpecs(tuple(links))


def _url(directive: DirectiveNode) -> str | None:
    """The spec URL of a `@link(url:)` or `@core(feature:)` application, if it has one."""
    args = _arguments(directive)
    url = args.get("url", args.get("feature"))
    return url if isinstance(url, str) else None


def _arguments(directive: DirectiveNode) -> dict[str, object]:
    """The directive's arguments as plain Python values (enum values as their names)."""
    return {arg.name.value: value_from_ast_untyped(arg.value) for arg in directive.arguments or ()}


def _imports(raw: object, url: str) -> dict[str, str]:
    """`import: ["@key", {name: "@requires", as: "@r"}]` -> {"@key": "@key", "@requires": "@r"}"""
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise SupergraphError(f"@link(url: {url!r}): import must be a list")
    imports: dict[str, str] = {}
    for item in raw:
        if isinstance(item, str):
            imports[item] = item
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            name = item["name"]
            local = item.get("as", name)
            if not isinstance(local, str) or local.startswith("@") != name.startswith("@"):
                raise SupergraphError(f"@link(url: {url!r}): bad import {item!r}")
            imports[name] = local
        else:
            raise SupergraphError(f"@link(url: {url!r}): bad import {item!r}")
    return imports

"""Resolve a subgraph's `@link` to the federation spec: version, imports and `as:` renames."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphql.language import (
    ConstDirectiveNode,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
)

FEDERATION_URL = re.compile(r"^https://specs\.apollo\.dev/federation/v(\d+)\.(\d+)$")

# Federation directives, in the order the federation spec defines them.
FEDERATION_DIRECTIVES = (
    "key",
    "requires",
    "provides",
    "external",
    "tag",
    "extends",
    "shareable",
    "inaccessible",
    "override",
    "composeDirective",
    "interfaceObject",
    "authenticated",
    "requiresScopes",
    "policy",
    "context",
    "fromContext",
    "cost",
    "listSize",
    "cacheTag",
)
FEDERATION_TYPES = ("FieldSet", "Scope", "Policy", "ContextFieldValue")
# Federation directives that appeared after v2.0, by the version that introduced them (only those
# this composer checks: a subgraph linking an older version cannot import or use them).
MINIMUM_VERSIONS = {"authenticated": (2, 5), "requiresScopes": (2, 5), "policy": (2, 6)}
BUILTIN_DIRECTIVES = ("deprecated", "specifiedBy", "include", "skip", "oneOf")


@dataclass
class FederationLink:
    """How one subgraph names the federation spec's directives and types."""

    version: tuple[int, int]
    alias: str = "federation"
    imports: dict[str, str] = field(default_factory=dict)  # spec name -> name in schema
    link_name: str = "link"
    fed1: bool = False  # no federation @link: directives by bare names, upgraded before merging

    def directive_name(self, spec_name: str) -> str:
        """The name this subgraph uses for the federation directive `spec_name`."""
        imported = self.imports.get("@" + spec_name)
        return imported[1:] if imported else f"{self.alias}__{spec_name}"

    def type_name(self, spec_name: str) -> str:
        """The name this subgraph uses for the federation type `spec_name`."""
        return self.imports.get(spec_name, f"{self.alias}__{spec_name}")

    def canonical_directives(self) -> dict[str, str]:
        """Map from names used in the schema to canonical federation directive names."""
        names = FEDERATION1_DIRECTIVES if self.fed1 else FEDERATION_DIRECTIVES
        return {
            self.directive_name(name): name
            for name in names
            if self.version >= MINIMUM_VERSIONS.get(name, (2, 0))
        }

    def unknown_imports(self) -> list[str]:
        """Imported directives the linked federation version does not define yet."""
        return [
            imported
            for imported in self.imports
            if self.version < MINIMUM_VERSIONS.get(imported[1:], (2, 0))
        ]

    def spec_type_names(self) -> set[str]:
        """Names of federation and link types this subgraph may declare (to strip them)."""
        names = {self.type_name(name) for name in FEDERATION_TYPES} if not self.fed1 else set()
        names.update(
            {"_FieldSet", "FieldSet", "link__Import", "link__Purpose", "Import", "Purpose"}
        )
        return names


FEDERATION1_DIRECTIVES = ("key", "requires", "provides", "external", "tag", "extends")


def federation1_link() -> FederationLink:
    """A Federation 1 subgraph: its directives have their bare names; it upgrades to v2.4."""
    imports = {f"@{name}": f"@{name}" for name in FEDERATION1_DIRECTIVES}
    return FederationLink((2, 4), imports=imports, fed1=True)


@dataclass
class FeatureLink:
    """A `@link` to a spec other than federation (the link spec itself included)."""

    url: str
    identity: str  # the URL without its version
    name: str  # the spec's name: the URL's last path segment before the version
    version: tuple[int, int] | None
    alias: str | None = None
    imports: dict[str, str] = field(default_factory=dict)  # name in spec -> name in schema

    def spec_name_of(self, directive: str) -> str | None:
        """The spec's name for directive `directive` of the schema, if this link provides it."""
        for original, local in self.imports.items():
            if local == "@" + directive:
                return original[1:]
        prefix = (self.alias or self.name) + "__"
        return directive[len(prefix) :] if directive.startswith(prefix) else None


FEATURE_URL = re.compile(r"^(?P<identity>.*/(?P<name>[^/]+))/v(?P<major>\d+)\.(?P<minor>\d+)$")


def feature_links(directives: Sequence[ConstDirectiveNode]) -> list[FeatureLink]:
    """Every `@link` that is not to the federation spec."""
    link_name = _link_directive_name(directives)
    result = []
    for directive in directives:
        if directive.name.value != link_name:
            continue
        args = {arg.name.value: arg.value for arg in directive.arguments or ()}
        url = _string(args.get("url")) or ""
        if FEDERATION_URL.match(url):
            continue
        match = FEATURE_URL.match(url)
        identity, name = (match["identity"], match["name"]) if match else (url, url)
        version = (int(match["major"]), int(match["minor"])) if match else None
        try:
            imports = _imports(args.get("import"))
        except LinkError:
            imports = {}
        result.append(FeatureLink(url, identity, name, version, _string(args.get("as")), imports))
    return result


class LinkError(ValueError):
    """A malformed `@link` application."""


def find_federation_link(directives: Sequence[ConstDirectiveNode]) -> FederationLink | None:
    """The federation link among the schema directives, or None when the subgraph has none."""
    link_name = _link_directive_name(directives)
    for directive in directives:
        if directive.name.value != link_name:
            continue
        args = {arg.name.value: arg.value for arg in directive.arguments or ()}
        url = _string(args.get("url"))
        match = FEDERATION_URL.match(url or "")
        if not match:
            continue
        alias = _string(args.get("as")) or "federation"
        link = FederationLink((int(match[1]), int(match[2])), alias, link_name=link_name)
        link.imports = _imports(args.get("import"))
        return link
    return None


def _link_directive_name(directives: Sequence[ConstDirectiveNode]) -> str:
    """The name of `@link` itself, honouring a rename of the link spec (`@link(url: ..., as:)`)."""
    for directive in directives:
        args = {arg.name.value: arg.value for arg in directive.arguments or ()}
        url = _string(args.get("url")) or ""
        if url.startswith("https://specs.apollo.dev/link/"):
            return _string(args.get("as")) or directive.name.value
    return "link"


def _imports(value: ValueNode | None) -> dict[str, str]:
    """Parse `import: ["@key", {name: "@override", as: "@moved"}]`."""
    if value is None:
        return {}
    if not isinstance(value, ListValueNode):
        raise LinkError("the import argument of @link must be a list")
    imports: dict[str, str] = {}
    for item in value.values:
        if isinstance(item, StringValueNode):
            imports[item.value] = item.value
        elif isinstance(item, ObjectValueNode):
            fields = {f.name.value: _string(f.value) for f in item.fields}
            name = fields.get("name")
            if not name:
                raise LinkError("an @link import object needs a name")
            renamed = fields.get("as") or name
            if name.startswith("@") != renamed.startswith("@"):
                raise LinkError(f'invalid alias "{renamed}" for import name "{name}"')
            imports[name] = renamed
        else:
            raise LinkError("@link imports must be strings or {name, as} objects")
    return imports


def _string(value: ValueNode | None) -> str | None:
    return value.value if isinstance(value, StringValueNode) else None

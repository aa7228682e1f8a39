"""The link, join, tag and inaccessible specs as @apollo/composition prints them."""

from __future__ import annotations

import re

from .supergraph import Directive
from .values import print_string

LINK_URL = "https://specs.apollo.dev/link/v1.0"
JOIN_URL = "https://specs.apollo.dev/join/v{}"
TAG_URL = "https://specs.apollo.dev/tag/v0.3"
INACCESSIBLE_URL = "https://specs.apollo.dev/inaccessible/v0.2"
ELEMENT_LOCATIONS = (
    "FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | "
    "ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)


def join_version(federation_version: tuple[int, int]) -> tuple[int, int]:
    """The join spec version @apollo/composition picks for the newest federation version used."""
    if federation_version >= (2, 8):
        return (0, 5)
    if federation_version >= (2, 7):
        return (0, 4)
    return (0, 3)


def link_directives(join: tuple[int, int]) -> list[Directive]:
    """The `@link`s for link itself and join."""
    return [
        Directive("link", [("url", print_string(LINK_URL))]),
        Directive(
            "link",
            [("url", print_string(JOIN_URL.format(f"{join[0]}.{join[1]}"))), ("for", "EXECUTION")],
        ),
    ]


def feature_link(spec: str, name_in_supergraph: str) -> Directive:
    """The `@link` for tag or inaccessible, importing it under a non-default name if needed."""
    url = TAG_URL if spec == "tag" else INACCESSIBLE_URL
    args = [("url", print_string(url))]
    if spec == "inaccessible":
        args.append(("for", "SECURITY"))
    if name_in_supergraph != spec:
        args.append(("import", f'[{{name: "@{spec}", as: "@{name_in_supergraph}"}}]'))
    return Directive("link", args)


def feature_definition(spec: str, name_in_supergraph: str) -> str:
    """The directive definition for tag or inaccessible."""
    if spec == "tag":
        return (
            f"directive @{name_in_supergraph}(name: String!) repeatable on "
            f"{ELEMENT_LOCATIONS} | SCHEMA"
        )
    return f"directive @{name_in_supergraph} on {ELEMENT_LOCATIONS}"


def join_directive_definitions(version: tuple[int, int]) -> dict[str, str]:
    """The join and link directive definitions for a join spec version (0.3 to 0.5)."""
    field_args = (
        "graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, "
        "external: Boolean, override: String, usedOverridden: Boolean"
    )
    if version >= (0, 4):
        field_args += ", overrideLabel: String"
    if version >= (0, 5):
        field_args += ", contextArguments: [join__ContextArgument!]"
    definitions = {
        "join__enumValue": "directive @join__enumValue(graph: join__Graph!) repeatable on "
        "ENUM_VALUE",
        "join__field": f"directive @join__field({field_args}) repeatable on FIELD_DEFINITION | "
        "INPUT_FIELD_DEFINITION",
        "join__graph": "directive @join__graph(name: String!, url: String!) on ENUM_VALUE",
        "join__implements": "directive @join__implements(graph: join__Graph!, interface: String!) "
        "repeatable on OBJECT | INTERFACE",
        "join__type": "directive @join__type(graph: join__Graph!, key: join__FieldSet, "
        "extension: Boolean! = false, resolvable: Boolean! = true, "
        "isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | "
        "INPUT_OBJECT | SCALAR",
        "join__unionMember": "directive @join__unionMember(graph: join__Graph!, member: String!) "
        "repeatable on UNION",
        "link": "directive @link(url: String, as: String, for: link__Purpose, "
        "import: [link__Import]) repeatable on SCHEMA",
    }
    if version >= (0, 4):
        definitions["join__directive"] = (
            "directive @join__directive(graphs: [join__Graph!], name: String!, "
            "args: join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | "
            "FIELD_DEFINITION"
        )
    return definitions


LINK_PURPOSE = '''enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY

  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}'''

CONTEXT_ARGUMENT = """input join__ContextArgument {
  name: String!
  type: String!
  context: String!
  selection: join__FieldValue!
}"""


def spec_types(version: tuple[int, int], graphs: list[tuple[str, str, str]]) -> dict[str, str]:
    """The join and link types; `graphs` holds (enum value, subgraph name, url) in order."""
    values = "\n".join(
        f"  {value} @join__graph(name: {print_string(name)}, url: {print_string(url)})"
        for value, name, url in graphs
    )
    types = {
        "join__FieldSet": "scalar join__FieldSet",
        "join__Graph": "enum join__Graph {\n" + values + "\n}",
        "link__Import": "scalar link__Import",
        "link__Purpose": LINK_PURPOSE,
    }
    if version >= (0, 4):
        types["join__DirectiveArguments"] = "scalar join__DirectiveArguments"
    if version >= (0, 5):
        types["join__FieldValue"] = "scalar join__FieldValue"
        types["join__ContextArgument"] = CONTEXT_ARGUMENT
    return types


def graph_enum_values(names: list[str]) -> dict[str, str]:
    """Subgraph name -> join__Graph value, sanitised and de-duplicated like @apollo/composition."""
    sanitized: dict[str, list[str]] = {}
    for name in names:
        value = re.sub(r"\W", "_", name, flags=re.ASCII)
        if value[:1].isdigit():
            value = "_" + value
        if re.search(r"_\d+$", value):
            value += "_"
        sanitized.setdefault(value.upper(), []).append(name)
    result: dict[str, str] = {}
    for value, owners in sanitized.items():
        if len(owners) == 1:
            result[owners[0]] = value
        else:
            for index, owner in enumerate(owners, start=1):
                result[owner] = f"{value}_{index}"
    return result

"""Printing values and names the way @apollo/federation-internals does."""

from __future__ import annotations

import json

from graphql.language import (
    BooleanValueNode,
    EnumValueNode,
    FloatValueNode,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableNode,
)


def print_value(node: ValueNode) -> str:
    """Print a literal value on one line (strings JSON-quoted, never block strings)."""
    if isinstance(node, StringValueNode):
        return print_string(node.value)
    if isinstance(node, IntValueNode | FloatValueNode | EnumValueNode):
        return node.value
    if isinstance(node, BooleanValueNode):
        return "true" if node.value else "false"
    if isinstance(node, NullValueNode):
        return "null"
    if isinstance(node, ListValueNode):
        return "[" + ", ".join(print_value(item) for item in node.values) + "]"
    if isinstance(node, ObjectValueNode):
        fields = ", ".join(f"{f.name.value}: {print_value(f.value)}" for f in node.fields)
        return "{" + fields + "}"
    if isinstance(node, VariableNode):
        return f"${node.name.value}"
    raise TypeError(f"unsupported value node {node.kind}")


def print_string(value: str) -> str:
    """A GraphQL string literal."""
    return json.dumps(value, ensure_ascii=False)


def value_key(node: ValueNode | None) -> str | None:
    """A comparable form of a literal value (None when absent)."""
    return None if node is None else print_value(node)


def collation_key(name: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sort key approximating JavaScript `localeCompare` (ICU root collation) on GraphQL names."""
    primary: list[int] = []
    tertiary: list[int] = []
    for char in name:
        if char == "_":
            primary.append(0)
        elif char.isdigit():
            primary.append(1 + ord(char) - ord("0"))
        else:
            primary.append(100 + ord(char.lower()))
        tertiary.append(1 if char.isupper() else 0)
    return tuple(primary), tuple(tertiary)


def print_description(description: str, indent: str = "", first: bool = True) -> str:
    """A block-string description and a newline, indented and spaced as Apollo prints it."""
    prefix = "\n" + indent if indent and not first else indent
    return prefix + block_string(description).replace("\n", "\n" + indent) + "\n"


def block_string(value: str) -> str:
    """A GraphQL block string, multi-line when the value is long or ends awkwardly."""
    single_line = "\n" not in value
    leading_space = value[:1] in (" ", "\t")
    multiple = not single_line or value.endswith(('"', "\\")) or len(value) > 70
    body = ""
    if multiple and not (single_line and leading_space):
        body += "\n"
    body += value
    if multiple:
        body += "\n"
    return '"""' + body.replace('"""', '\\"""') + '"""'

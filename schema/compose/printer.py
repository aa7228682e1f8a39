"""Print a supergraph exactly as @apollo/composition's shallow-ordered printer does."""

from __future__ import annotations

from .supergraph import Arg, Directive, FieldDef, Node, Supergraph, TypeDef
from .values import collation_key, print_description

INDENT = "  "
KEYWORDS = {
    "object": "type",
    "interface": "interface",
    "union": "union",
    "enum": "enum",
    "input": "input",
    "scalar": "scalar",
}


def print_supergraph(supergraph: Supergraph) -> str:
    """The supergraph SDL, definitions separated by blank lines, ending with a newline."""
    parts = [_schema(supergraph)]
    directives = sorted(supergraph.directive_definitions.items(), key=lambda i: collation_key(i[0]))
    parts.extend(text for _, text in directives)
    printed = {name: text for name, text in supergraph.spec_types.items()}
    printed.update({name: _type(t) for name, t in supergraph.types.items()})
    parts.extend(printed[name] for name in sorted(printed, key=collation_key))
    return "\n\n".join(parts) + "\n"


def _schema(supergraph: Supergraph) -> str:
    roots = [
        f"{INDENT}{op}: {supergraph.roots[op]}"
        for op in ("query", "mutation", "subscription")
        if op in supergraph.roots
    ]
    block = "{\n" + "\n".join(roots) + "\n}" if roots else ""
    return "schema" + _directives_on_lines(supergraph.links, bool(roots)) + block


def _directives_on_lines(directives: list[Directive], end_with_newline: bool) -> str:
    if not directives:
        return ""
    text = "\n" + INDENT + ("\n" + INDENT).join(str(d) for d in directives)
    return text + ("\n" if end_with_newline else "")


def _inline_directives(directives: list[Directive]) -> str:
    return "".join(f" {d}" for d in directives)


def _description(node: Node, indent: str = "", first: bool = True) -> str:
    if node.description is None:
        return ""
    return print_description(node.description, indent, first)


def _type(type_def: TypeDef) -> str:
    head = _description(type_def) + KEYWORDS[type_def.kind] + " " + type_def.name
    if type_def.kind in ("object", "interface") and type_def.interfaces:
        head += " implements " + " & ".join(type_def.interfaces)
    if type_def.kind == "scalar":
        return head + _directives_on_lines(type_def.directives, False)
    if type_def.kind == "union":
        members = " = " + " | ".join(type_def.members) if type_def.members else ""
        return head + _directives_on_lines(type_def.directives, bool(members)) + members
    if type_def.kind == "enum":
        items = [
            _description(value, INDENT, index == 0)
            + INDENT
            + value.name
            + _inline_directives(value.directives)
            for index, value in enumerate(type_def.values.values())
        ]
    else:
        items = [
            _description(f, INDENT, index == 0)
            + INDENT
            + _field(f)
            + _inline_directives(f.directives)
            for index, f in enumerate(type_def.fields.values())
        ]
    directives = _directives_on_lines(type_def.directives, bool(items))
    space = " " if not type_def.directives and items else ""
    block = "{\n" + "\n".join(items) + "\n}" if items else ""
    return head + directives + space + block


def _field(field: FieldDef) -> str:
    default = f" = {field.default}" if field.default is not None else ""
    return f"{field.name}{_args(list(field.args.values()))}: {field.type}{default}"


def _args(args: list[Arg]) -> str:
    if not args:
        return ""
    if all(arg.description is None for arg in args):
        return "(" + ", ".join(_arg(arg) for arg in args) + ")"
    lines = [
        _description(arg, INDENT + INDENT, index == 0) + INDENT + INDENT + _arg(arg)
        for index, arg in enumerate(args)
    ]
    return "(\n" + "\n".join(lines) + "\n" + INDENT + ")"


def _arg(arg: Arg) -> str:
    default = f" = {arg.default}" if arg.default is not None else ""
    return f"{arg.name}: {arg.type}{default}{_inline_directives(arg.directives)}"

"""Reading a Dockerfile without Docker: its stages, instructions and COPY sources, and which
paths .dockerignore keeps out of the build context."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from devstack.processes import ROOT


@dataclass
class Stage:
    """One `FROM ... AS name` stage and its instructions (keyword, arguments)."""

    image: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def copies(self) -> list[tuple[list[str], str, str | None]]:
        """(sources, destination, `--from` stage or None) of every COPY/ADD."""
        found = []
        for keyword, args in self.instructions:
            if keyword not in {"COPY", "ADD"}:
                continue
            words = json.loads(args) if args.startswith("[") else shlex.split(args)
            options = [w for w in words if w.startswith("--")]
            paths = [w for w in words if not w.startswith("--")]
            origin = next((o.split("=", 1)[1] for o in options if o.startswith("--from=")), None)
            found.append((paths[:-1], paths[-1], origin))
        return found

    def environment(self) -> dict[str, str]:
        """What the stage's ENV instructions set (`ENV NAME=value ...`)."""
        found = {}
        for keyword, args in self.instructions:
            if keyword == "ENV":
                for word in shlex.split(args):
                    name, _, value = word.partition("=")
                    found[name] = value
        return found

    def last(self, keyword: str) -> str | None:
        """The arguments of the stage's last `keyword` instruction."""
        matching = [args for kw, args in self.instructions if kw == keyword]
        return matching[-1] if matching else None


def stages(path: Path) -> list[Stage]:
    """The stages of a Dockerfile, in order (`ARG`s before the first FROM substituted)."""
    lines, current = [], ""
    for raw in path.read_text().splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    arguments: dict[str, str] = {}
    found: list[Stage] = []
    for line in lines:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "ARG" and not found:
            name, _, default = args.partition("=")
            arguments[name] = default
        elif keyword == "FROM":
            words = args.split()
            image = words[0]
            for name, value in arguments.items():
                image = image.replace(f"${{{name}}}", value)
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            found.append(Stage(image, name))
        elif found:
            found[-1].instructions.append((keyword, args))
    return found


def ignored_patterns(root: Path = ROOT) -> list[str]:
    """The patterns of the build context's .dockerignore."""
    path = root / ".dockerignore"
    if not path.exists():
        return []
    return [
        line.strip().rstrip("/")
        for line in path.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def is_ignored(relative: str, patterns: list[str]) -> bool:
    """Whether .dockerignore keeps `relative` (or a folder holding it) out of the context."""
    parts = Path(relative).parts
    for depth in range(1, len(parts) + 1):
        candidate = "/".join(parts[:depth])
        for pattern in patterns:
            if fnmatch.fnmatchcase(candidate, pattern) or (
                pattern.startswith("**/") and fnmatch.fnmatchcase(parts[depth - 1], pattern[3:])
            ):
                return True
    return False


EDGE_DOCKERFILE = ROOT / "deploy" / "frontend.Dockerfile"
#: The edge's configuration the image renders with envsubst (the main config is the image's).
EDGE_TEMPLATE = ROOT / "nginx" / "templates" / "shop.conf.template"


def edge_template_variables() -> set[str]:
    """The `${NAME}`s of the edge's template: each must be defined where it runs, or nginx gets
    it verbatim (the image's envsubst replaces only variables that are set)."""
    return set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)\}", EDGE_TEMPLATE.read_text()))


def edge_image_environment() -> dict[str, str]:
    """What the edge image's final stage sets."""
    return stages(EDGE_DOCKERFILE)[-1].environment()

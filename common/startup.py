"""How a process refuses to start: one line on stderr naming what to fix, exit code 2.

The gateway and every subgraph go this way for any bad setting (`ConfigurationError`), so an
operator reads one sentence, never a traceback, and a supervisor sees a usage error (2), not a
crash (1).
"""

from __future__ import annotations

import sys
from typing import TextIO

from common.errors import ConfigurationError

#: the exit code of a process refused by its configuration (as argparse's usage errors)
EXIT_CONFIGURATION = 2


def refuse_to_start(
    program: str, problem: ConfigurationError | str, stream: TextIO | None = None
) -> int:
    """Write `program: problem` as one line on stderr; the exit code to return."""
    text = problem.one_line() if isinstance(problem, ConfigurationError) else problem
    print(f"{program}: {' '.join(text.split())}", file=stream or sys.stderr)
    return EXIT_CONFIGURATION

"""What authorization decides for one operation and one kind of caller."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.execution import Removals
from gateway.planning import NormalizedOperation


@dataclass(frozen=True, eq=False)
class AuthorizedOperation:
    """An operation as one kind of caller may run it: what to plan, and what was taken out."""

    #: what to plan: the normalised operation itself when the caller may see all it selects
    operation: NormalizedOperation
    #: the selections taken out, answered null with an error by shaping; None: nothing
    removals: Removals | None = None
    #: tells apart the outcomes of one operation for the plan cache ("" when nothing was taken
    #: out): callers losing the same selections share one plan
    variant: str = field(init=False)

    def __post_init__(self) -> None:
        removed = self.removals or ()
        variant = ";".join(
            f"{'.'.join(r.parent)}:{r.stand_in}:{r.key or ''}:{int(r.non_null)}" for r in removed
        )
        object.__setattr__(self, "variant", variant)

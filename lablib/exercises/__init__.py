"""The labs' checked exercises: `check(exercise_id, answer=None)` and `prepare(lab, lab_id)`.

    from lablib.exercises import check, prepare
    lab = lablib.connect()
    prepare(lab, "05")          # the state lab 05 starts from (simulator), or what to do
    your_turn("05.1")           # an unfilled exercise: "✎ 05.1 Your turn: ..." (no error)
    ...                         # the student's code
    check("05.1")               # ✔ / ○ not done yet / ✘ plus a hint

Each lab's checks live in their own module (lab00 ... lab09); importing this package
registers them all. Checks read the live inventory or the value passed as `answer`,
never printed text (docs/teaching.md C2).
"""

from __future__ import annotations

from . import lab00, lab01, lab02, lab03, lab04, lab05, lab06, lab07, lab08, lab09  # noqa: F401
from .core import (
                   DONE,
                   ERROR,
                   LABS,
                   NOT_DONE,
                   WRONG,
                   CheckResult,
                   Exercise,
                   attempts,
                   check,
                   exercise,
                   exercises,
                   expected_line,
                   forget_attempts,
                   your_turn,
)
from .lab01 import model_run
from .prepare import Preparation, prepare

__all__ = [
                   "DONE",
                   "ERROR",
                   "LABS",
                   "NOT_DONE",
                   "WRONG",
                   "CheckResult",
                   "Exercise",
                   "Preparation",
                   "attempts",
                   "check",
                   "exercise",
                   "exercises",
                   "expected_line",
                   "forget_attempts",
                   "model_run",
                   "prepare",
                   "your_turn",
]

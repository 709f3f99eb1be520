"""The exercise registry and `check()`: a verdict read from the live lab, with tiered hints.

A check reads the inventory (where a VM runs, which VMkernel adapter has vMotion, the
cluster's EVC mode, the last migration) or the value the student passes as `answer`,
never printed text (docs/teaching.md C2). It answers with ONE line:

    ✔ 03.1 vMotion is enabled on vmk0 of ESXi_1.
    ○ 03.1 not done yet: enable vMotion on vmk0 of ESXi_1, then run this cell again.
    ✘ 03.1 vMotion is on vmk0 of ESXi_2, not of ESXi_1.
      Hint 1/3: ...

A wrong answer adds a hint, more precise at each attempt: a nudge, then the API to use,
then where the solution is (docs/teaching.md C1, after otter-grader's messages).
The success and "not done yet" lines depend only on the exercise, the language and the
role names, so the notebook generator writes them into the committed notebooks as the
outputs nbval compares: one source of truth for the expected text.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..boxes import Shown
from ..config import Roles
from ..errors import InputError, LabError
from ..lab import Lab, connect
from ..text import LANGUAGES, Text, language

#: Lab number -> notebook name (labs/<lang>/<name>.ipynb); the generator checks its sources
#: against it and the last hint points at the solutions notebook.
LABS = {
    "00": "00_setup",
    "01": "01_what_moves",
    "02": "02_prerequisites",
    "03": "03_enable_vmotion",
    "04": "04_evc",
    "05": "05_migrate",
    "06": "06_local_storage",
    "07": "07_migration_types",
    "08": "08_use_cases",
    "09": "09_troubleshoot",
}

#: Set by `python -m lablib check`: each check() appends its verdict here as a JSON line.
REPORT_ENV = "LAB_SELFCHECK_REPORT"

DONE, NOT_DONE, WRONG, ERROR = "done", "not done", "wrong", "error"


def T(en: str, fr: str) -> Text:
    """Return a bilingual message (short name: the exercise modules use it a lot)."""
    return Text(en, fr)


@dataclass(frozen=True)
class Wrong:
    """An evaluation's verdict: the lab or the answer is not what the exercise asks."""

    message: Text
    values: dict = field(default_factory=dict)


class Stop(Exception):
    """Raised by a check's helper to end the evaluation with `verdict` (NOT_DONE or Wrong)."""

    def __init__(self, verdict):
        super().__init__(verdict)
        self.verdict = verdict


def not_done():
    """End the evaluation: the exercise is not done yet."""
    raise Stop(NOT_DONE)


def wrong(message: Text, **values: Any):
    """End the evaluation: the answer or the lab is wrong, for the reason `message` gives."""
    raise Stop(Wrong(message, values))


class Context:
    """What an evaluation reads: the lab, its role names, the answer, one facts snapshot."""

    def __init__(self, lab: Lab, answer: Any = None):
        self.lab = lab
        self.answer = answer
        self.roles: Roles = lab.roles

    @cached_property
    def snapshot(self):
        """Return the inventory facts, read once per check (three SOAP round trips)."""
        return self.lab.facts.snapshot()

    def host(self, role: str):
        """Return the facts of the host named by `role` ("source_host", ...)."""
        return self.snapshot.host(getattr(self.roles, role))

    def vm(self, role: str):
        """Return the facts of the VM named by `role` ("vm" or "local_vm")."""
        return self.snapshot.vm(getattr(self.roles, role))

    def cluster(self):
        """Return the facts of the lab's cluster."""
        return self.snapshot.cluster(self.roles.cluster)


#: evaluate(context) returns DONE, NOT_DONE or a Wrong.
Evaluate = Callable[[Context], Any]


@dataclass(frozen=True)
class Exercise:
    """One checked exercise of a lab.

    Attributes:
        id: "NN.k": lab NN, exercise k.
        title: what the student does, shown by `python -m lablib check`.
        done: the success sentence.
        todo: what to do, shown while nothing is done yet (the line adds "then run this
            cell again").
        hints: the nudge, then the API to use; the third hint (where the solution is)
            is derived from the lab.
        evaluate: reads the lab (and the answer) and returns the verdict.
        answer: True when the check takes the student's value as `answer`.
        tiers: when set, returns the three hints for the lab as it is now (lab 09: each
            student's broken lab has its own), or None to use `hints`.
        after: when set, is given each CheckResult (lab 09 keeps them for the instructor).
    """

    id: str
    title: Text
    done: Text
    todo: Text
    hints: tuple[Text, Text]
    evaluate: Evaluate = field(repr=False, compare=False)
    answer: bool = False
    tiers: Callable[[], tuple[Text, Text, Text] | None] | None = field(
        default=None, repr=False, compare=False)
    after: Callable[[CheckResult], None] | None = field(default=None, repr=False,
                                                         compare=False)

    @property
    def lab(self) -> str:
        """Return the lab number, "03" for "03.1"."""
        return self.id.split(".")[0]

    def solution_path(self, lang: str) -> str:
        """Return the solutions notebook of this exercise, relative to the repository."""
        return f"labs/{lang}/solutions/{LABS[self.lab]}.ipynb"

    def line(self, status: str, lang: str, roles: Roles, message: str = "") -> str:
        """Return the verdict line for `status` (DONE, NOT_DONE, WRONG, ERROR)."""
        values = role_values(roles)
        if status == DONE:
            text = Text("✔ {id} {done}", id=self.id, done=self.done.fill(**values))
        elif status == NOT_DONE:
            text = Text("○ {id} not done yet: {todo}, then run this cell again.",
                        "○ {id} pas encore fait : {todo}, puis relancez cette cellule.",
                        id=self.id, todo=self.todo.fill(**values))
        elif status == ERROR:
            text = Text("✘ {id} could not check: {message}",
                        "✘ {id} vérification impossible : {message}", id=self.id,
                        message=message)
        else:
            text = Text("✘ {id} {message}", id=self.id, message=message)
        return text.render(lang)

    def your_turn(self, lang: str, roles: Roles) -> str:
        """Return the calm line an unfilled exercise cell shows: "Your turn: ..."."""
        return Text("✎ {id} Your turn: {todo}, then run the check cell below.",
                    "✎ {id} À vous : {todo}, puis lancez la cellule de vérification "
                    "ci-dessous.", id=self.id,
                    todo=self.todo.fill(**role_values(roles))).render(lang)

    def hint(self, attempt: int, lang: str, roles: Roles) -> str:
        """Return the hint for the `attempt`-th wrong answer (1: nudge, 2: API, 3+: solution)."""
        tier = min(max(attempt, 1), 3)
        where = Text("the solution is in {en} (exercise {id}, between ### BEGIN SOLUTION "
                     "and ### END SOLUTION).", "la solution est dans {fr} (exercice {id}, "
                     "entre ### BEGIN SOLUTION et ### END SOLUTION).", id=self.id,
                     en=self.solution_path("en"), fr=self.solution_path("fr"))
        tiers = self.tiers() if self.tiers is not None else None
        if tiers is not None:
            text = tiers[tier - 1] if tier < 3 else Text(
                "{fix} Otherwise, {where}", "{fix} Sinon, {where}", fix=tiers[2], where=where)
        elif tier < 3:
            text = self.hints[tier - 1].fill(**role_values(roles))
        else:
            text = where
        return Text("  Hint {tier}/3: {text}", "  Indice {tier}/3 : {text}", tier=tier,
                    text=text).render(lang)


def role_values(roles: Roles) -> dict[str, str]:
    """Return the role names as format values: {source_host}, {vm}, ..."""
    return {name: getattr(roles, name) for name in roles.__dataclass_fields__}


@dataclass(frozen=True)
class CheckResult:
    """The verdict of one check: one line, plus a hint after a wrong answer.

    It is true when the exercise is done, so `assert check("03.1")` works in scripts.
    """

    exercise: Exercise
    status: str
    text: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.status == DONE

    def __repr__(self) -> str:
        return self.text + (f"\n{self.hint}" if self.hint else "")

    def __str__(self) -> str:
        return repr(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(repr(self))


_REGISTRY: dict[str, Exercise] = {}
_attempts: Counter = Counter()


def register(*exercises: Exercise) -> None:
    """Add exercises to the registry (each lab's module calls it on import)."""
    for exercise in exercises:
        if exercise.id in _REGISTRY:
            raise ValueError(f"exercise {exercise.id} is registered twice")
        if exercise.lab not in LABS:
            raise ValueError(f"exercise {exercise.id}: no lab {exercise.lab} in LABS")
        _REGISTRY[exercise.id] = exercise


def exercise(exercise_id: str) -> Exercise:
    """Return the registered exercise `exercise_id` ("05.1").

    Raises:
        InputError: no such exercise; the message lists the lab's exercises.
    """
    found = _REGISTRY.get(str(exercise_id))
    if found is None:
        lab = str(exercise_id).split(".")[0]
        known = [e for e in _REGISTRY if e.startswith(lab + ".")] or sorted(_REGISTRY)
        raise InputError(T("No exercise {got}. Known: {known}.",
                           "Pas d'exercice {got}. Connus : {known}.").fill(
            got=repr(exercise_id)[:40], known=", ".join(known)))
    return found


def exercises(lab: str | None = None) -> list[Exercise]:
    """Return the registered exercises, of one lab ("05") or of all, in order."""
    return [e for key, e in sorted(_REGISTRY.items(), key=lambda item: _order(item[0]))
            if lab is None or e.lab == lab]


def _order(exercise_id: str) -> tuple[int, int]:
    lab, number = exercise_id.split(".")
    return int(lab), int(number)


def expected_line(exercise_id: str, status: str, lang: str, roles: Roles | None = None) -> str:
    """Return the deterministic line a check prints when DONE or NOT_DONE.

    The notebook generator writes it as the expected output of the check cells.
    """
    if status not in (DONE, NOT_DONE):
        raise ValueError("only the done and not-done lines are deterministic")
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    return exercise(exercise_id).line(status, lang, roles or Roles())


_default_lab: Lab | None = None


def use_lab(lab: Lab) -> None:
    """Make `lab` the one check() reads when it is not given one."""
    global _default_lab
    _default_lab = lab


def current_lab() -> Lab:
    """Return the lab check() reads: the last one prepared, else a new connection."""
    global _default_lab
    if _default_lab is None:
        _default_lab = connect()
    return _default_lab


def your_turn(exercise_id: str) -> Shown:
    """Show that exercise `exercise_id` is the student's to do: one calm line, no error.

    The student version of a lab puts `your_turn("05.1")` where the solution goes, so
    Run All shows "✎ 05.1 Your turn: ..." instead of an exception; the check cell
    after it then says "not done yet".
    """
    ex = exercise(exercise_id)
    roles = _default_lab.roles if _default_lab is not None else Roles()
    return Shown(ex.your_turn(language(), roles), css="lablib-your-turn")


def check(exercise_id: str, answer: Any = None, *, lab: Lab | None = None) -> CheckResult:
    """Check exercise `exercise_id` against the live lab (and `answer`, if it takes one).

    Args:
        exercise_id: "NN.k", as the notebook's check cell names it.
        answer: the student's value, for exercises that ask for one; None (or ...)
            while it is not given.
        lab: the Lab to read; by default the one `prepare()` received, else a new
            connection.

    Returns:
        A CheckResult: one line (✔, ○ not done yet, ✘) and, after a wrong answer, a hint.
    """
    ex = exercise(exercise_id)
    lang = language()
    lab = lab or current_lab()
    roles = lab.roles
    try:
        result = _judge(ex, _evaluate(ex, Context(lab, None if answer is Ellipsis else answer)),
                        lang, roles)
    except LabError as error:
        result = CheckResult(ex, ERROR, ex.line(ERROR, lang, roles, str(error)))
    if ex.after is not None:
        ex.after(result)
    _report(result)
    return result


def _evaluate(ex: Exercise, context: Context):
    try:
        return ex.evaluate(context)
    except Stop as stop:
        return stop.verdict


def _judge(ex: Exercise, verdict, lang: str, roles: Roles) -> CheckResult:
    """Turn a verdict into the result line, counting wrong answers for the hints."""
    if verdict in (DONE, NOT_DONE):
        return CheckResult(ex, verdict, ex.line(verdict, lang, roles))
    if isinstance(verdict, Wrong):
        _attempts[ex.id] += 1
        message = verdict.message.fill(**role_values(roles), **verdict.values).render(lang)
        return CheckResult(ex, WRONG, ex.line(WRONG, lang, roles, message),
                           ex.hint(_attempts[ex.id], lang, roles))
    raise TypeError(f"exercise {ex.id}: evaluate returned {verdict!r}")


def attempts(exercise_id: str) -> int:
    """Return how many wrong answers this kernel has seen for the exercise."""
    return _attempts[exercise_id]


def forget_attempts() -> None:
    """Start counting wrong answers again (tests use it)."""
    _attempts.clear()


def _report(result: CheckResult) -> None:
    """Append the verdict to the self-check report when `python -m lablib check` runs."""
    path = os.environ.get(REPORT_ENV)
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps({"exercise": result.exercise.id, "status": result.status,
                              "line": result.text}, ensure_ascii=False) + "\n")

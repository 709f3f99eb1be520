"""Each exercise on the simulator: unfilled says "not done yet", a known wrong answer is
rejected with its intended message, the solution passes.

A case is (exercise, lab to prepare, wrong, expected message, solution). `wrong` and
`solution` receive the prepared Lab, may change it through the public Lab API, and
return the answer to check (None for exercises that only read the inventory).
"""

from dataclasses import dataclass
from typing import Any, Callable

import pytest

from lablib import set_language
from lablib.exercises import (DONE, NOT_DONE, WRONG, check, exercises, expected_line,
                              forget_attempts, model_run, prepare)


@dataclass
class Case:
    exercise: str
    wrong: Callable[[Any], Any]
    message: str
    solution: Callable[[Any], Any]
    lab_id: str = ""

    def __post_init__(self):
        self.lab_id = self.lab_id or self.exercise.split(".")[0]

    def __str__(self):
        return self.exercise


def answer(value):
    return lambda lab: value


CASES = [
    Case("00.1", answer("ESXi_2"), "vm-shared does not run on ESXi_2.",
         lambda lab: lab.placement(lab.roles.vm).host),
    Case("00.2", answer("ESXi_1-local"), "ESXi_1-local is mounted on ESXi_1 only",
         answer("SharedDS")),
    Case("01.1", answer({"cpu", "memory", "network", "storage"}),
         "Storage does not move in a compute-only migration: vm-shared's files stay on "
         "SharedDS", answer({"cpu", "memory", "network"})),
    Case("01.2", answer(100_000), "the model still converges", answer(400_000)),
    Case("01.3", lambda lab: model_run(400_000), "no SDPS throttle",
         lambda lab: model_run(400_000, sdps=True)),
    Case("02.1", answer({"vmotion_vmk"}), "'evc' is not met either for vm-shared",
         answer({"vmotion_vmk", "evc"})),
    Case("02.2", answer({"vmotion_vmk", "evc"}),
         "'shared_datastore' is not met either for vm-local",
         answer({"vmotion_vmk", "shared_datastore", "evc"})),
]


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    forget_attempts()
    yield
    set_language("en")


def test_every_exercise_has_a_case():
    assert sorted(str(c) for c in CASES) == sorted(e.id for e in exercises()
                                                    if e.lab <= max(c.lab_id for c in CASES))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_unfilled_wrong_and_solution(lab, case):
    prepare(lab, case.lab_id)
    unfilled = check(case.exercise, None)
    assert unfilled.status == NOT_DONE
    assert repr(unfilled) == expected_line(case.exercise, NOT_DONE, "en")

    wrong = check(case.exercise, case.wrong(lab))
    assert wrong.status == WRONG, repr(wrong)
    assert case.message in wrong.text
    assert "Hint 1/3" in wrong.hint

    prepare(lab, case.lab_id)
    solved = check(case.exercise, case.solution(lab))
    assert solved.status == DONE, repr(solved)
    assert repr(solved) == expected_line(case.exercise, DONE, "en")


def test_checks_speak_french(lab):
    set_language("fr")
    prepare(lab, "00")
    assert repr(check("00.1", "ESXi_1")) == expected_line("00.1", DONE, "fr")
    assert check("00.1", "ESXi_9").text.startswith("✘ 00.1 Le lab n'a pas d'hôte nommé")


def test_check_connects_by_itself_when_no_lab_was_prepared(lab, monkeypatch):
    from lablib.exercises import core

    monkeypatch.setattr(core, "_default_lab", None)
    assert check("00.2", "SharedDS")
    assert core._default_lab is not None
    core._default_lab.close()

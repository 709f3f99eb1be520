"""Each exercise on the simulator: unfilled says "not done yet", a known wrong answer is
rejected with its intended message, the solution passes.

A case is (exercise, lab to prepare, wrong, expected message, solution). `wrong` and
`solution` receive the prepared Lab, may change it through the public Lab API, and
return the answer to check (None for exercises that only read the inventory).
"""

from dataclasses import dataclass
from typing import Any, Callable

import pytest

import lablib
from lablib import OperationRefused, set_language
from lablib.exercises import (DONE, NOT_DONE, WRONG, check, exercises, expected_line,
                              model_run, prepare)


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


def steps(*actions):
    """Run lab operations in order, e.g. steps(("migrate", "vm", {"host": "ESXi_2"}));
    return None (the check reads the lab)."""
    def run(lab):
        for name, *args in actions:
            kwargs = args.pop() if args and isinstance(args[-1], dict) else {}
            getattr(lab, name)(*args, **kwargs)
    return run


def cpu_fault(lab):
    try:
        lab.migrate(lab.roles.vm, host=lab.roles.destination_host)
    except OperationRefused as error:
        return type(error.fault).__name__
    raise AssertionError("the migration should be refused")


def then(action, value):
    def run(lab):
        action(lab)
        return value(lab) if callable(value) else value
    return run


OFF = [("power_off", "vm-shared"), ("power_off", "vm-local")]
ON = [("power_on", "vm-shared"), ("power_on", "vm-local")]
TO_LOCAL_2 = ("migrate", "vm-shared", {"host": "ESXi_2", "datastore": "ESXi_2-local"})
LOCAL_TO_LOCAL_2 = ("migrate", "vm-local", {"host": "ESXi_2", "datastore": "ESXi_2-local"})
LOCAL_TO_SHARED = ("migrate", "vm-local", {"datastore": "SharedDS"})
COMPUTE = ("migrate", "vm-shared", {"host": "ESXi_2"})


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
    Case("03.1", steps(("enable_vmotion", "ESXi_2")), "vMotion is on ESXi_2, not on ESXi_1",
         steps(("enable_vmotion", "ESXi_1"))),
    Case("03.2", steps(("enable_vmotion", "ESXi_2")),
         "vMotion is on ESXi_2 but no longer on ESXi_1",
         steps(("enable_vmotion", "ESXi_1"), ("enable_vmotion", "ESXi_2", "vmk0"))),
    Case("04.1", answer("VMotionNotConfigured"),
         "VMotionNotConfigured is not the fault this migration of vm-shared gets", cpu_fault),
    Case("04.2", steps(*OFF, ("configure_evc", "intel-skylake")),
         "EVC is intel-skylake: migrations work",
         steps(*OFF, ("configure_evc", "intel-cascadelake"))),
    Case("04.3", steps(*OFF, ("configure_evc", "intel-skylake"), ("power_on", "vm-shared"),
                       ("configure_evc", "intel-cascadelake")),
         "vm-shared still runs with the CPU features of intel-skylake, not the cluster's "
         "intel-cascadelake", steps(*OFF, ("configure_evc", "intel-cascadelake"), *ON)),
    Case("05.1", steps(TO_LOCAL_2), "its files moved to ESXi_2-local",
         steps(("migrate", "vm-shared", {"host": "ESXi_2", "network": "VM Network"}))),
    Case("05.2", then(steps(COMPUTE), lambda lab: next(
        t for t in lab.tasks("vm-shared").items if t.kind == "VirtualMachine.powerOn")),
         "That is a 'Power On virtual machine' task, not the migration.",
         then(steps(COMPUTE), lambda lab: lab.tasks("vm-shared").items[0])),
    Case("05.3", then(steps(COMPUTE), "ESXi_2"), "ESXi_2 is where vm-shared went",
         then(steps(COMPUTE), "ESXi_1")),
    Case("06.1", answer("MigrationRefused"), "MigrationRefused is lablib's exception",
         answer("vim.fault.CannotAccessVmConfig")),
    Case("06.2", steps(LOCAL_TO_LOCAL_2), "vm-local's files are on ESXi_2-local, a local "
         "datastore again", steps(LOCAL_TO_SHARED)),
    Case("06.3", steps(LOCAL_TO_LOCAL_2), "a local datastore again",
         steps(LOCAL_TO_SHARED, ("migrate", "vm-local", {"host": "ESXi_2"}))),
    Case("07.1", steps(TO_LOCAL_2), "its files moved too. 07.1 asks for compute only",
         steps(COMPUTE)),
    Case("07.2", steps(TO_LOCAL_2), "its host changed too. 07.2 asks for storage only",
         steps(COMPUTE, ("migrate", "vm-shared", {"datastore": "ESXi_2-local"}))),
    Case("07.3", steps(LOCAL_TO_SHARED), "only its storage changed",
         steps(LOCAL_TO_LOCAL_2)),
    Case("08.1", steps(("power_off", "vm-local"), ("enter_maintenance", "ESXi_1")),
         "Powered off: vm-local. Their users lost them.",
         steps(LOCAL_TO_SHARED, ("enter_maintenance", "ESXi_1"))),
    Case("08.2", steps(LOCAL_TO_SHARED, ("enter_maintenance", "ESXi_1"),
                       ("exit_maintenance", "ESXi_1")),
         "Every running VM is on ESXi_2: the cluster is not balanced yet.",
         steps(LOCAL_TO_SHARED, ("enter_maintenance", "ESXi_1"),
               ("exit_maintenance", "ESXi_1"), ("rebalance", {"apply": True}))),
    Case("08.3", answer("manual"), "With manual, DRS only recommends",
         answer("Entièrement automatisé")),
]


@pytest.fixture(scope="module")
def live(sim_state):
    """One connection for the module: prepare() resets the simulator for each case."""
    lab = lablib.connect()
    yield lab
    lab.close()


pytestmark = pytest.mark.usefixtures("english_checks")


def test_every_exercise_has_a_case():
    assert sorted(str(c) for c in CASES) == sorted(e.id for e in exercises()
                                                    if e.lab <= max(c.lab_id for c in CASES))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_unfilled_wrong_and_solution(live, case):
    lab = live
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

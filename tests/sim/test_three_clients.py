"""Any client, same verdict: the scenario matrix from lablib, govc and raw pyVmomi.

Each scenario starts from a freshly reset lab, once per client, with the same setup; the
same migration is then asked by lablib (`lab.migrate`), by govc (`govc vm.migrate`, as
the labs print it) and by raw pyVmomi (`RelocateVM_Task`, waited with pyVim's
`WaitForTask`). The lab simulator decides: all three are refused with the same fault (the
same message for govc) or accepted, and the VM ends where the others leave it.
"""

from dataclasses import dataclass
from typing import Callable

import pytest
from pyVim.task import WaitForTask
from pyVmomi import vim, vmodl

from lablib import LabError, govc
from vmotion_setup import attach, port_group_on, prepare

CLIENTS = ("lablib", "govc", "pyvmomi")


@dataclass(frozen=True)
class Scenario:
    name: str
    setup: Callable
    vm: str
    host: str | None = None
    datastore: str | None = None
    fault: str = ""   # the fault type of a refusal; "" when the migration is accepted


def _nothing(lab) -> None:
    pass


def _vmotion_only(lab) -> None:
    for host in ("ESXi_1", "ESXi_2"):
        lab.enable_vmotion(host)


def _missing_network(lab) -> None:
    prepare(lab)
    attach(lab, "vm-shared", port_group_on(lab, "ESXi_1"))


def _destination_in_maintenance(lab) -> None:
    prepare(lab)
    lab.enter_maintenance("ESXi_2")


def _storage_first(lab) -> None:
    prepare(lab)
    lab.migrate("vm-local", datastore="SharedDS")


SCENARIOS = [
    Scenario("1 vMotion enabled nowhere", _nothing, "vm-shared", "ESXi_2",
             fault="VMotionNotConfigured"),
    Scenario("2 no EVC: the CPU differs", _vmotion_only, "vm-shared", "ESXi_2",
             fault="CpuIncompatible"),
    Scenario("3 EVC set, VMs power-cycled", prepare, "vm-shared", "ESXi_2"),
    Scenario("4 local storage, compute only", prepare, "vm-local", "ESXi_2",
             fault="CannotAccessVmConfig"),
    Scenario("5 the fix: storage first, then compute", _storage_first, "vm-local", "ESXi_2"),
    Scenario("6 compute and storage without shared storage", prepare, "vm-local", "ESXi_2",
             "ESXi_2-local"),
    Scenario("7 a powered-off VM without vMotion", lambda lab: lab.power_off("vm-shared"),
             "vm-shared", "ESXi_2"),
    Scenario("8a the VM's network missing on the destination", _missing_network, "vm-shared",
             "ESXi_2", fault="CannotAccessNetwork"),
    Scenario("8b the destination in maintenance mode", _destination_in_maintenance,
             "vm-shared", "ESXi_2", fault="InvalidHostState"),
    Scenario("9 storage to a datastore the host cannot see", prepare, "vm-shared", None,
             "ESXi_2-local", fault="DatastoreNotWritableOnHost"),
]


@dataclass
class Outcome:
    accepted: bool
    fault: str = ""
    message: str = ""
    placement: tuple = ()


def _by_lablib(lab, s: Scenario) -> Outcome:
    try:
        lab.migrate(s.vm, host=s.host, datastore=s.datastore)
        return Outcome(True)
    except LabError as refused:
        fault = getattr(refused, "fault", None)
        return Outcome(False, type(fault).__name__.rsplit(".", 1)[-1] if fault else "",
                       (getattr(fault, "msg", "") or "") if fault else str(refused))


def _by_govc(lab, s: Scenario) -> Outcome:
    flags = (["-host", s.host] if s.host else []) + (["-ds", s.datastore] if s.datastore
                                                      else [])
    done = govc.run(" ".join(["govc vm.migrate", *flags, s.vm]), lab.sim_state)
    return Outcome(done.ok, "", done.stderr.strip())


def _by_pyvmomi(lab, s: Scenario) -> Outcome:
    si = lab.conn.si  # the raw pyVmomi ServiceInstance, as a student's own script has
    view = si.content.viewManager.CreateContainerView(si.content.rootFolder, [], True)
    found = {o.name: o for o in view.view}
    view.DestroyView()
    spec = vim.vm.RelocateSpec()
    if s.host:
        spec.host = found[s.host]
        spec.pool = found[s.host].parent.resourcePool
    if s.datastore:
        spec.datastore = found[s.datastore]
    try:
        WaitForTask(found[s.vm].RelocateVM_Task(spec=spec), si=si)
        return Outcome(True)
    except vmodl.MethodFault as fault:
        return Outcome(False, type(fault).__name__.rsplit(".", 1)[-1], fault.msg or "")


RUN = {"lablib": _by_lablib, "govc": _by_govc, "pyvmomi": _by_pyvmomi}


@pytest.fixture
def lab_sim(lab):
    if lab.backend.simulated:
        pytest.skip("stock vcsim applies no rule: govc and pyVmomi bypass lablib's fallback")
    return lab


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_lablib_govc_and_pyvmomi_meet_the_same_verdict(lab_sim, scenario):
    outcomes = {}
    for client in CLIENTS:
        lab_sim.reset()
        scenario.setup(lab_sim)
        outcome = RUN[client](lab_sim, scenario)
        placement = lab_sim.placement(scenario.vm)
        outcome.placement = (placement.host, placement.datastores)
        outcomes[client] = outcome
    assert {c: o.accepted for c, o in outcomes.items()} == \
        dict.fromkeys(CLIENTS, not scenario.fault), outcomes
    assert len({o.placement for o in outcomes.values()}) == 1, outcomes  # same end state
    if scenario.fault:
        assert outcomes["lablib"].fault == outcomes["pyvmomi"].fault == scenario.fault
        message = outcomes["pyvmomi"].message
        assert message and outcomes["lablib"].message == message
        assert message in outcomes["govc"].message  # govc prints the server's message
        assert "types." not in message  # vCenter's words, never a Go type name

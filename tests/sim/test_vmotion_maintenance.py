"""Maintenance mode with evacuation, and DRS-style rebalancing, on vcsim."""

import lablib
from lablib import config as lab_config
from lablib import sim
from lablib.tasks import wait_all
from pyVmomi import vim

from vmotion_setup import prepare


def test_without_evacuation_running_vms_keep_the_host_out(lab):
    report = lab.enter_maintenance("ESXi_1", evacuate=False)
    assert not report.entered and {b.vm for b in report.blocked} == {"vm-shared", "vm-local"}
    assert "evacuate=False" in report.blocked[0].reason
    assert "NOT in maintenance mode" in str(report)
    assert not lab.facts.snapshot().host("ESXi_1").in_maintenance


def test_an_empty_host_enters_at_once_and_exits(lab):
    report = lab.enter_maintenance("ESXi_2")
    assert report.entered and not report.moved and not report.blocked
    assert lab.enter_maintenance("ESXi_2").entered  # already in it
    lab.exit_maintenance("ESXi_2")
    lab.exit_maintenance("ESXi_2")  # nothing to do
    assert not lab.facts.snapshot().host("ESXi_2").in_maintenance


def test_rebalance_recommends_only_what_may_move_and_applies_it(any_lab):
    lab = any_lab
    prepare(lab)
    advice = lab.rebalance()
    assert [(r.vm, r.source, r.destination) for r in advice] == [
        ("vm-shared", "ESXi_1", "ESXi_2")]  # vm-local is on local storage
    reason = "Load imbalance" if lab.backend.simulated else "Balance average CPU loads"
    assert reason in str(advice[0].reason)  # DRS's, modelled by the lab simulator
    assert advice[0].simulated == ("simulated by lablib" in str(advice)) == \
        bool(lab.backend.simulated)
    assert lab.placement("vm-shared").host == "ESXi_1"  # advice only
    applied = lab.rebalance(apply=True)
    assert applied[0].result.after.host == "ESXi_2" and not applied[0].error
    assert list(lab.rebalance()) == []


def _add_vms(lab, count: int) -> None:
    dc, host = lab.find("datacenter", "Datacenter"), lab.host("ESXi_1")
    pool = lab.cluster().resourcePool
    created = wait_all(lab.conn, [dc.vmFolder.CreateVM_Task(config=vim.vm.ConfigSpec(
        name=f"load-{n:02}", numCPUs=1, memoryMB=512, guestId="otherGuest64",
        files=vim.vm.FileInfo(vmPathName="[SharedDS]")), pool=pool, host=host)
        for n in range(count)])
    wait_all(lab.conn, [info.result.PowerOnVM_Task() for info in created])


def test_evacuating_32_vms_runs_their_relocations_at_once(lab):
    config = lab_config.load()
    delayed = lablib.connect(config) if sim.reset(config, delay_ms=1500) else None
    try:
        prepare(delayed)
        delayed.migrate("vm-local", datastore="SharedDS")
        _add_vms(delayed, 30)
        report = delayed.enter_maintenance("ESXi_1")
        assert report.entered and len(report.moved) == 32 and not report.blocked
        starts = [r.task.started for r in report.moved]
        ends = [r.task.ended for r in report.moved]
        assert max(starts) < min(ends)  # every relocation ran while the others did
        assert {r.after.host for r in report.moved} == {"ESXi_2"}
        delayed.close()
    finally:
        sim.reset(config, delay_ms=0)

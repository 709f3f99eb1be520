"""Migrations on vcsim: the RelocateSpec of each kind, results, prechecks, references."""

import html

import pytest
from pyVmomi import vim

from lablib import NotFoundError, set_language
from lablib.errors import MigrationRefused
from lablib.vmotion.plan import make_plan, resolve, rule_facts
from lablib.tasks import wait
from vmotion_setup import attach, port_group_on, prepare, state


def test_compute_migration_keeps_the_cluster_pool_and_reports_progress(lab):
    prepare(lab)
    seen = []
    result = lab.migrate("vm-shared", host="ESXi_2", priority="highPriority",
                         on_progress=lambda info, elapsed: seen.append(info.state))
    assert seen and seen[-1] == "success"
    assert (result.before.host, result.after.host) == ("ESXi_1", "ESXi_2") and result.moved
    assert result.task.state == "success" and str(result.task.name) == "Relocate virtual machine"
    vm = lab.vm("vm-shared")
    assert vm.runtime.host == lab.host("ESXi_2")
    assert vm.resourcePool == lab.cluster().resourcePool
    assert "ESXi_1" in str(result) and "<table" in result._repr_html_()


def test_storage_migration_moves_the_files_too(lab):
    result = lab.migrate("vm-local", datastore="SharedDS")
    assert result.kind == "storage" and result.after.datastores == ("SharedDS",)
    vm = lab.vm("vm-local")
    assert vm.config.files.vmPathName.startswith("[SharedDS]")  # vcsim emulation
    disks = [d for d in vm.config.hardware.device if isinstance(d, vim.vm.device.VirtualDisk)]
    assert all(d.backing.fileName.startswith("[SharedDS]") for d in disks)


def test_network_remap_by_device_change(lab):
    prepare(lab)
    backend = port_group_on(lab, "ESXi_1")
    attach(lab, "vm-shared", backend)
    with pytest.raises(MigrationRefused) as refused:
        lab.migrate("vm-shared", host="ESXi_2")
    assert isinstance(refused.value.fault, vim.fault.CannotAccessNetwork)
    lab.migrate("vm-shared", host="ESXi_2", network="VM Network")
    assert lab.facts.snapshot().vm("vm-shared").networks == ("VM Network",)


def test_nothing_to_do_calls_nothing(lab):
    tasks = len(lab.tasks(limit=100).items)
    result = lab.migrate("vm-shared", host="ESXi_1")
    assert not result.moved and result.task is None
    assert "nothing to do" in str(result)
    assert lab.precheck("vm-shared", datastore="SharedDS").nothing_to_do
    assert len(lab.tasks(limit=100).items) == tasks


def test_a_suspended_vm_moves_cold_but_its_cpu_must_fit(lab):
    wait(lab.conn, lab.vm("vm-shared").SuspendVM_Task())
    with pytest.raises(MigrationRefused) as refused:
        lab.migrate("vm-shared", host="ESXi_2")
    assert isinstance(refused.value.fault, vim.fault.CpuIncompatible)  # no vMotion fault
    assert lab.placement("vm-shared").power_state == "suspended"


def test_precheck_says_who_decided_in_both_languages(any_lab):
    lab = any_lab
    check = lab.precheck("vm-shared", host="ESXi_2")
    assert not check.ok and check.kind == "compute"
    assert {f.rule for f in check.failures} == {"vmotion-network", "cpu"}
    assert all(f.simulated for f in check.failures) == check.simulated == \
        bool(lab.backend.simulated)
    note = ("simulated by lablib: the public vcsim image has no API for this",
            "simulé par lablib : l'image vcsim publique n'a pas d'API pour cela") \
        if check.simulated else ("Verdict of the server's CheckRelocate_Task",
                                 "Verdict du CheckRelocate_Task du serveur")
    assert note[0] in str(check)
    set_language("fr")
    try:
        french = html.unescape(lab.precheck("vm-shared", host="ESXi_2")._repr_html_())
        assert note[1] in french
        assert "Réseau : VMkernel port configuré pour vMotion" in french
    finally:
        set_language("en")


def test_the_verdict_lists_every_rule_the_move_breaks(any_lab):
    lab = any_lab
    plan = make_plan(rule_facts(lab.session), resolve(lab.session, "vm-local", host="ESXi_2"))
    verdict, = lab.backend.check_relocations([plan])
    names = sorted(type(f).__name__.rsplit(".", 1)[-1] for f in verdict.errors)
    disk = [] if lab.backend.simulated else ["CannotAccessVmDisk"]  # the server's: each disk
    assert names == ["CannotAccessVmConfig", *disk, "CpuIncompatible", "VMotionNotConfigured",
                     "VMotionNotConfigured"]


def test_stale_references_are_refused_before_any_call(lab):
    before = state(lab)
    ghost = vim.HostSystem("host-99999", lab.conn.stub)
    with pytest.raises(NotFoundError, match="no longer exists"):
        lab.migrate("vm-shared", host=ghost)
    with pytest.raises(NotFoundError):
        lab.migrate(vim.VirtualMachine("vm-99999", lab.conn.stub), host="ESXi_2")
    assert state(lab) == before and lab.status().ready  # the simulator is still up

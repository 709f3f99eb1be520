"""The govc equivalents on the lab simulator: govc sees the state lablib sees, changes
the state lablib then reads, and meets the verdicts lablib meets, with the same fault."""

import pytest
from vmotion_setup import OLDER_EVC, prepare

from lablib import Unsupported, govc
from lablib.errors import MigrationRefused
from lablib.vmotion.commands import GOVC_COMMANDS, POWERCLI, VCSIM_NOTES, govc_command

NAMES = {"vm": "vm-shared", "host": "ESXi_2", "datastore": "SharedDS",
         "network": "VM Network", "device": "vmk0", "cluster": "Cluster",
         "mode": OLDER_EVC, "limit": 5, "vm_path": "/Datacenter/vm/vm-shared",
         "cluster_path": "/Datacenter/host/Cluster"}


def run(lab, operation, **names):
    return govc.run(govc_command(operation, **{**NAMES, **names}), lab.sim_state)


def refusal(lab, vm, **where) -> str:
    """Return the message of the fault the server gives lablib for this migration."""
    with pytest.raises(MigrationRefused) as refused:
        lab.migrate(vm, **where)
    return refused.value.fault.msg


def test_every_operation_has_govc_and_powercli_entries():
    assert set(POWERCLI) == set(GOVC_COMMANDS)
    for operation, (template, vcsim_supported) in GOVC_COMMANDS.items():
        assert template is None or template.startswith("govc ")
        assert vcsim_supported == (template is not None)   # nothing is vCenter-only
        if template is None:
            assert "govc has no" in VCSIM_NOTES[operation]
            with pytest.raises(Unsupported):
                govc_command(operation, **NAMES)
    assert {op for op, (template, _) in GOVC_COMMANDS.items() if template is None} == \
        {"configure_evc", "disable_evc", "precheck"}


def test_govc_meets_the_refusals_lablib_meets(lab):
    # The course's initial state: no vMotion adapter, EVC off, vm-local on local storage.
    for vm, names in [("vm-shared", {}), ("vm-local", {"vm": "vm-local"})]:
        message = refusal(lab, vm, host="ESXi_2")
        refused = run(lab, "migrate_compute", **names)
        assert not refused.ok and message in refused.stderr
    prepare(lab)
    message = refusal(lab, "vm-local", host="ESXi_2")
    assert "ESXi_1-local" in message            # only the storage rule is left
    refused = run(lab, "migrate_compute", vm="vm-local")
    assert not refused.ok and message in refused.stderr
    assert lab.placement("vm-local").host == "ESXi_1"   # a refusal changes nothing


def test_govc_migrations_are_seen_by_lablib(lab):
    prepare(lab)
    assert run(lab, "migrate_compute").ok
    assert lab.placement("vm-shared").host == "ESXi_2"
    assert run(lab, "migrate_storage", vm="vm-local").ok
    assert lab.placement("vm-local").datastores == ("SharedDS",)
    assert run(lab, "migrate_network", vm="vm-local").ok
    assert lab.placement("vm-local").host == "ESXi_2"
    assert run(lab, "migrate_both", host="ESXi_1", datastore="ESXi_1-local",
               vm="vm-shared").ok
    assert lab.placement("vm-shared").datastores == ("ESXi_1-local",)
    files = govc.run("govc datastore.ls -ds ESXi_1-local vm-shared", lab.sim_state)
    assert files.ok and "vm-shared.vmx" in files.stdout      # the files really moved
    info = run(lab, "placement")
    assert info.ok and "ESXi_1" in info.stdout


def test_govc_vmotion_service_is_lablibs(lab):
    assert "vmotion" not in run(lab, "vmotion_vmks").stdout
    assert run(lab, "enable_vmotion").ok
    assert lab.vmotion_vmks("ESXi_2") == ["vmk0"]
    shown = run(lab, "vmotion_vmks")
    assert "192.168.1.172" in shown.stdout and "management, vmotion" in shown.stdout
    assert run(lab, "disable_vmotion").ok
    assert lab.vmotion_vmks("ESXi_2") == []
    lab.enable_vmotion("ESXi_1", "vmk0")
    assert "vmotion" in run(lab, "vmotion_vmks", host="ESXi_1").stdout


def test_govc_reads_evc_and_baselines_as_lablib(lab):
    assert run(lab, "evc_mode").stdout.strip() == ""     # EVC off
    assert run(lab, "cpu_baseline").stdout.strip() == "intel-icelake" == \
        lab.cpu_baseline("vm-shared")
    prepare(lab)
    assert run(lab, "evc_mode").stdout.strip() == OLDER_EVC == lab.evc_mode()
    assert run(lab, "power_off").ok
    assert lab.placement("vm-shared").power_state == "poweredOff"
    assert run(lab, "cpu_baseline").stdout.strip() == ""  # cleared at power-off
    assert run(lab, "power_on").ok
    assert run(lab, "cpu_baseline").stdout.strip() == OLDER_EVC == lab.cpu_baseline("vm-shared")


def test_govc_maintenance_is_seen_by_lablib(lab):
    prepare(lab)
    assert run(lab, "enter_maintenance").ok                 # ESXi_2 runs no VM
    assert lab.facts.snapshot().host("ESXi_2").in_maintenance
    message = refusal(lab, "vm-shared", host="ESXi_2")
    assert "current state of the host" in message
    refused = run(lab, "migrate_compute")
    assert not refused.ok and message in refused.stderr
    assert run(lab, "exit_maintenance").ok
    assert not lab.facts.snapshot().host("ESXi_2").in_maintenance
    waits = govc.run("govc host.maintenance.enter -timeout 1 ESXi_1", lab.sim_state)
    assert not waits.ok and "timed out" in waits.stderr      # VMs still run on ESXi_1
    assert not lab.facts.snapshot().host("ESXi_1").in_maintenance


def test_govc_shows_lablibs_tasks_events_and_recommendations(lab):
    prepare(lab)
    lab.migrate("vm-shared", host="ESXi_2")
    tasks = run(lab, "tasks")
    assert tasks.ok and "RelocateVM" in tasks.stdout
    events = run(lab, "events")
    assert events.ok and "from ESXi_1, SharedDS to ESXi_2, SharedDS completed" in events.stdout
    lab.migrate("vm-local", datastore="SharedDS")
    lab.migrate("vm-local", host="ESXi_2")
    advice = lab.rebalance()
    shown = run(lab, "rebalance")
    assert advice and shown.ok
    assert all(rec.reason in shown.stdout.replace("\\u003e", ">") for rec in advice)

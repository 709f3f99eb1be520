"""The govc equivalents: every command vcsim serves runs and lablib sees its result;
the "vCenter only" ones are shown to fail (or to miss the simulated state) on vcsim."""

import pytest

from lablib import Unsupported, govc
from lablib.errors import MigrationRefused
from lablib.vmotion.commands import GOVC_COMMANDS, POWERCLI, govc_command
from vmotion_setup import OLDER_EVC, prepare

NAMES = {"vm": "vm-shared", "host": "ESXi_2", "datastore": "SharedDS",
         "network": "VM Network", "device": "vmk0", "cluster": "Cluster",
         "mode": OLDER_EVC, "limit": 5, "vm_path": "/Datacenter/vm/vm-shared",
         "cluster_path": "/Datacenter/host/Cluster"}


def run(lab, operation, **names):
    return govc.run(govc_command(operation, **{**NAMES, **names}), lab.sim_state)


def test_every_operation_has_govc_and_powercli_entries():
    assert set(POWERCLI) == set(GOVC_COMMANDS)
    for operation, (template, vcsim_supported) in GOVC_COMMANDS.items():
        assert template is None or template.startswith("govc ")
        if template is None:
            assert not vcsim_supported
            with pytest.raises(Unsupported):
                govc_command(operation, **NAMES)


def test_govc_migrations_are_seen_by_lablib(lab):
    assert run(lab, "migrate_compute").ok
    assert lab.placement("vm-shared").host == "ESXi_2"
    assert run(lab, "migrate_storage", vm="vm-local").ok
    assert lab.placement("vm-local").datastores == ("SharedDS",)
    assert run(lab, "migrate_network", vm="vm-local").ok
    assert lab.placement("vm-local").host == "ESXi_2"
    assert run(lab, "migrate_both", host="ESXi_1", datastore="ESXi_1-local",
               vm="vm-shared").ok
    assert lab.placement("vm-shared") .datastores == ("ESXi_1-local",)
    info = run(lab, "placement")
    assert info.ok and "ESXi_1" in info.stdout


def test_govc_power_and_maintenance_are_seen_by_lablib(lab):
    assert run(lab, "power_off").ok
    assert lab.placement("vm-shared").power_state == "poweredOff"
    assert run(lab, "power_on").ok
    assert lab.cpu_baseline("vm-shared") == "intel-icelake"
    assert run(lab, "enter_maintenance").ok
    assert lab.facts.snapshot().host("ESXi_2").in_maintenance
    prepare(lab)
    with pytest.raises(MigrationRefused, match="maintenance mode"):
        lab.migrate("vm-shared", host="ESXi_2")
    assert run(lab, "exit_maintenance").ok
    assert not lab.facts.snapshot().host("ESXi_2").in_maintenance


def test_govc_shows_lablib_tasks_events_and_simulated_facts(lab):
    prepare(lab)
    lab.migrate("vm-shared", host="ESXi_2")
    tasks = run(lab, "tasks")
    assert tasks.ok and "RelocateVm" in tasks.stdout
    events = run(lab, "events")
    assert events.ok and "to ESXi_2, SharedDS completed" in events.stdout
    fields = run(lab, "simulated_facts")
    assert fields.ok and f"vmotionlab.cpu_baseline   {OLDER_EVC}" in fields.stdout


def test_vcenter_only_commands_fail_or_miss_the_state_on_vcsim(lab):
    prepare(lab)
    unsupported = [op for op, (template, ok) in GOVC_COMMANDS.items() if template and not ok]
    assert set(unsupported) == {"vmotion_vmks", "enable_vmotion", "disable_vmotion",
                                "evc_mode", "cpu_baseline"}
    for operation in ("enable_vmotion", "disable_vmotion"):
        result = run(lab, operation)
        assert not result.ok and "does not implement" in result.stderr
    assert "vmk0" not in run(lab, "vmotion_vmks").stdout  # no adapter listed on vcsim
    assert OLDER_EVC not in run(lab, "evc_mode").stdout
    assert OLDER_EVC not in run(lab, "cpu_baseline").stdout

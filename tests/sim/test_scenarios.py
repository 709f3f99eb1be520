"""The issue's scenario matrix, each from a freshly reset lab, against the real vcsim.

Scenarios 4 to 9 start as scenario 3 ends: vMotion on vmk0 of both hosts and EVC at the
older CPU generation, with both VMs power-cycled (vmotion_setup.prepare).
"""

import pytest
from pyVmomi import vim
from vmotion_setup import OLDER_EVC, port_group_on, prepare, state

from lablib import InputError, LabError, NotFoundError, WrongKindError
from lablib.errors import EvcRefused, MigrationRefused

NEWER_EVC = "intel-icelake"


def refused(lab, *args, **kwargs) -> MigrationRefused:
    """Return the refusal of lab.migrate(*args), checking that nothing changed."""
    before = state(lab)
    with pytest.raises(MigrationRefused) as caught:
        lab.migrate(*args, **kwargs)
    assert state(lab) == before
    return caught.value


def test_1_vmotion_enabled_nowhere(lab):
    error = refused(lab, "vm-shared", host="ESXi_2")
    assert isinstance(error.fault, vim.fault.VMotionNotConfigured)
    assert error.fault.failedHost == "ESXi_1" and error.fault.atSourceHost
    assert "ESXi_1" in str(error) and "ESXi_2" in str(error)
    failed = [f.fault.failedHost for f in error.findings
              if isinstance(f.fault, vim.fault.VMotionNotConfigured)]
    assert failed == ["ESXi_1", "ESXi_2"]
    assert lab.placement("vm-shared").host == "ESXi_1"


def test_2_no_evc_cpu_incompatible(lab):
    lab.enable_vmotion("ESXi_1")
    lab.enable_vmotion("ESXi_2")
    error = refused(lab, "vm-shared", host="ESXi_2")
    assert isinstance(error.fault, vim.fault.CpuIncompatible)
    assert "The CPU of the host is incompatible" in str(error)
    assert "KB 1003718" in str(error) and "EVC" in str(error)
    assert "ESXi_2" in str(error)


def test_3_evc_rules_then_the_migration(lab):
    lab.enable_vmotion("ESXi_1")
    lab.enable_vmotion("ESXi_2")
    before = state(lab)
    with pytest.raises(EvcRefused) as newer:
        lab.configure_evc(NEWER_EVC)
    assert isinstance(newer.value.fault, vim.fault.EVCModeUnsupportedByHosts)
    assert newer.value.fault.hostName == ["ESXi_2"] and "ESXi_2" in str(newer.value)
    with pytest.raises(EvcRefused) as running:
        lab.configure_evc(OLDER_EVC)
    assert isinstance(running.value.fault, vim.fault.ActiveVMsBlockingEVC)
    assert running.value.fault.hostName == ["ESXi_1"]
    assert all(name in str(running.value) for name in ("ESXi_1", "vm-shared", "vm-local"))
    assert state(lab) == before and lab.evc_mode() == ""

    lab.power_off("vm-shared")
    lab.power_off("vm-local")
    lab.configure_evc(OLDER_EVC)
    assert lab.evc_mode() == OLDER_EVC
    lab.power_on("vm-shared")
    lab.power_on("vm-local")
    assert lab.cpu_baseline("vm-shared") == OLDER_EVC

    result = lab.migrate("vm-shared", host="ESXi_2")
    assert result.kind == "compute" and result.after.host == "ESXi_2"
    assert lab.placement("vm-shared").host == "ESXi_2"
    task = lab.tasks("vm-shared", limit=1).items[0]
    assert task.state == "success" and task.target == "vm-shared"
    event = lab.events("vm-shared").items[0]
    assert (event.source_host, event.destination_host) == ("ESXi_1", "ESXi_2")


def test_4_local_storage_compute_only(lab):
    prepare(lab)
    error = refused(lab, "vm-local", host="ESXi_2")
    assert isinstance(error.fault, vim.fault.CannotAccessVmConfig)
    assert "ESXi_1-local" in str(error) and "ESXi_2" in str(error)
    assert "Unable to access the virtual machine configuration" in str(error)
    assert lab.placement("vm-local").host == "ESXi_1"


def test_5_the_fix_storage_then_compute(lab):
    prepare(lab)
    storage = lab.migrate("vm-local", datastore="SharedDS")
    assert storage.kind == "storage"
    assert (storage.after.host, storage.after.datastores) == ("ESXi_1", ("SharedDS",))
    compute = lab.migrate("vm-local", host="ESXi_2")
    assert compute.kind == "compute"
    assert lab.placement("vm-local").host == "ESXi_2"
    assert lab.placement("vm-local").datastores == ("SharedDS",)


def test_6_compute_and_storage_without_shared_storage(lab):
    prepare(lab)
    result = lab.migrate("vm-local", host="ESXi_2", datastore="ESXi_2-local")
    assert result.kind == "compute+storage"
    placement = lab.placement("vm-local")
    assert (placement.host, placement.datastores) == ("ESXi_2", ("ESXi_2-local",))
    back = lab.migrate("vm-local", host="ESXi_1", datastore="ESXi_1-local")  # the simulator
    assert back.after.datastores == ("ESXi_1-local",)  # stays sound for further moves


def test_7_powered_off_vm_migrates_cold_without_vmotion(lab):
    lab.power_off("vm-shared")
    check = lab.precheck("vm-shared", host="ESXi_2")
    assert check.ok
    assert "cold migration" in next(f for f in check if f.rule == "vmotion-network").message
    assert lab.migrate("vm-shared", host="ESXi_2").after.host == "ESXi_2"


def test_8_missing_network_and_maintenance_mode(lab):
    prepare(lab)
    network = port_group_on(lab, "ESXi_1")
    error = refused(lab, "vm-shared", host="ESXi_2", network=network)
    assert isinstance(error.fault, vim.fault.CannotAccessNetwork)
    assert network in str(error) and "ESXi_2" in str(error)

    lab.enter_maintenance("ESXi_2")
    error = refused(lab, "vm-shared", host="ESXi_2")
    assert isinstance(error.fault, vim.fault.InvalidHostState)
    assert "maintenance mode" in str(error) and "ESXi_2" in str(error)


def test_9_maintenance_evacuates_what_can_move(lab):
    prepare(lab)
    report = lab.enter_maintenance("ESXi_1")
    assert [r.vm for r in report.moved] == ["vm-shared"]
    assert [b.vm for b in report.blocked] == ["vm-local"] and not report.entered
    assert "No maintenance-mode DRS recommendation" in report.blocked[0].reason
    assert "ESXi_1-local" in report.blocked[0].reason
    assert not lab.facts.snapshot().host("ESXi_1").in_maintenance
    assert lab.placement("vm-shared").host == "ESXi_2"

    lab.migrate("vm-local", datastore="SharedDS")
    report = lab.enter_maintenance("ESXi_1")
    assert [r.vm for r in report.moved] == ["vm-local"] and report.entered
    assert lab.facts.snapshot().host("ESXi_1").in_maintenance
    lab.exit_maintenance("ESXi_1")
    assert not lab.facts.snapshot().host("ESXi_1").in_maintenance


BAD_CALLS = [
    ("unknown VM", lambda lab: lab.migrate("vm-nope", host="ESXi_2"), NotFoundError),
    ("unknown host", lambda lab: lab.migrate("vm-shared", host="ESXi_9"), NotFoundError),
    ("unknown datastore", lambda lab: lab.migrate("vm-shared", datastore="NoDS"),
     NotFoundError),
    ("unknown network", lambda lab: lab.migrate("vm-shared", host="ESXi_2", network="NoNet"),
     NotFoundError),
    ("wrong kind", lambda lab: lab.migrate("vm-shared", host="SharedDS"), WrongKindError),
    ("VM as host", lambda lab: lab.enable_vmotion("vm-shared"), WrongKindError),
    ("nowhere to go", lambda lab: lab.migrate("vm-shared"), InputError),
    ("empty name", lambda lab: lab.migrate("", host="ESXi_2"), InputError),
    ("huge name", lambda lab: lab.migrate("x" * 5000, host="ESXi_2"), InputError),
    ("not a name", lambda lab: lab.migrate(42, host="ESXi_2"), InputError),
    ("unknown vmk", lambda lab: lab.enable_vmotion("ESXi_1", "vmk7"), NotFoundError),
    ("empty vmk", lambda lab: lab.disable_vmotion("ESXi_1", " "), InputError),
    ("unknown EVC mode", lambda lab: lab.configure_evc("intel-pentium"), InputError),
    ("EVC mode not a text", lambda lab: lab.configure_evc(None), InputError),
    ("bad priority", lambda lab: lab.migrate("vm-shared", host="ESXi_2", priority="urgent"),
     InputError),
    ("bad timeout", lambda lab: lab.migrate("vm-shared", host="ESXi_2", timeout=-1),
     InputError),
    ("bad callback", lambda lab: lab.migrate("vm-shared", host="ESXi_2", on_progress=3),
     InputError),
    ("bad evacuate", lambda lab: lab.enter_maintenance("ESXi_1", evacuate="yes"), InputError),
    ("bad apply", lambda lab: lab.rebalance(apply=1), InputError),
    ("bad limit", lambda lab: lab.tasks(limit=0), InputError),
    ("unknown entity", lambda lab: lab.tasks("nothing-here"), NotFoundError),
    ("unknown cluster", lambda lab: lab.evc_modes("Clustr"), NotFoundError),
    ("unknown VM power", lambda lab: lab.power_on("vm-none"), NotFoundError),
]


def test_10_bad_input_is_a_clear_error_and_changes_nothing(lab):
    before = state(lab)
    for label, call, expected in BAD_CALLS:
        with pytest.raises(expected) as caught:
            call(lab)
        assert isinstance(caught.value, LabError), label
        assert 0 < len(str(caught.value)) < 700, label
    assert state(lab) == before


def test_10_messages_name_the_choices(lab):
    with pytest.raises(InputError, match="intel-cascadelake") as mode:
        lab.configure_evc("intel-cascadelak")
    assert "Did you mean 'intel-cascadelake'" in str(mode.value)
    with pytest.raises(NotFoundError, match="'vmk0'"):
        lab.enable_vmotion("ESXi_1", "vmk7")
    with pytest.raises(InputError, match="comes first"):
        lab.configure_evc("Cluster", OLDER_EVC)

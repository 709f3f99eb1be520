"""vCenter's rules on plain facts, no server: lablib's fallback decides, the rules explain.

On the lab simulator the server returns the faults; on the public vcsim image
lablib.fallback.rules returns the same ones. Either way lablib.vmotion.rules explains
them, one Finding per rule, which is what these tests read.
"""

import pytest
from pyVmomi import vim

from lablib import set_language
from lablib.backend import Verdict
from lablib.errors import InputError, MigrationRefused
from lablib.facts import ClusterFacts, DatastoreFacts, HostFacts, Snapshot, VmFacts
from lablib.fallback import evc_table, files
from lablib.fallback import rules as fallback_rules
from lablib.vmotion import rules
from lablib.vmotion.findings import Precheck
from lablib.vmotion.plan import plan_move

CATALOG = evc_table.catalog()


def host(name, max_evc, vmks=("vmk0",), datastores=("SharedDS",), networks=("VM Network",),
         vendor="intel", state="connected", maintenance=False):
    return HostFacts(None, name, "Cluster", "", vendor, "", max_evc, tuple(vmks), ("vmk0",),
                     tuple(datastores), tuple(networks), state, maintenance)


def vm(name="vm-shared", on="ESXi_1", datastores=("SharedDS",), power="poweredOn",
       networks=("VM Network",)):
    return VmFacts(None, name, on, tuple(datastores), tuple(networks), power,
                   f"[{datastores[0]}] {name}/{name}.vmx", "")


def lab_facts(*hosts, vms=(), evc_mode=""):
    datastores = sorted({d for h in hosts for d in h.datastores})
    return Snapshot(list(hosts), list(vms), [
        DatastoreFacts(None, d, tuple(h.name for h in hosts if d in h.datastores), "", 0, 0)
        for d in datastores], [ClusterFacts(None, "Cluster", evc_mode, True, "",
                                            tuple(h.name for h in hosts))])


ESXI_1 = host("ESXi_1", "intel-icelake", datastores=("ESXi_1-local", "SharedDS"))
ESXI_2 = host("ESXi_2", "intel-cascadelake", datastores=("ESXi_2-local", "SharedDS"))


def findings(the_vm, destination=None, datastore=None, network=None, baseline="",
             hosts=(ESXI_1, ESXI_2), evc_mode=""):
    snap = lab_facts(*hosts, vms=[the_vm], evc_mode=evc_mode)
    move = plan_move(snap, the_vm, snap.host(destination) if destination else None,
                     snap.datastore(datastore) if datastore else None, network, baseline,
                     CATALOG)
    return move, rules.findings(move, Verdict(tuple(fallback_rules.relocation_faults(move))),
                                simulated=True)


def failed(found):
    return [(f.rule, type(f.fault).__name__.split(".")[-1]) for f in found if not f.ok]


def test_every_rule_holds_for_a_prepared_lab():
    move, found = findings(vm(), "ESXi_2", baseline="intel-cascadelake")
    assert move.kind == "compute" and not failed(found)
    assert [f.rule for f in found] == ["power-state", "host-state", "vmotion-network",
                                       "shared-storage", "network", "devices", "cpu"]
    assert all(f.prerequisite for f in found)


def test_vmotion_network_names_each_host_lacking_it():
    bare = (host("ESXi_1", "intel-icelake", vmks=()), host("ESXi_2", "intel-icelake", vmks=()))
    _, found = findings(vm(), "ESXi_2", baseline="intel-icelake", hosts=bare)
    faults = [f.fault for f in found if not f.ok]
    assert [type(f) for f in faults] == [vim.fault.VMotionNotConfigured] * 2
    assert [(f.failedHost, f.atSourceHost) for f in faults] == [("ESXi_1", True),
                                                                ("ESXi_2", False)]
    assert "The vMotion interface is not configured" in faults[1].msg


def test_cold_migration_needs_no_vmotion_network_nor_cpu_check():
    bare = (host("ESXi_1", "intel-icelake", vmks=()), host("ESXi_2", "intel-merom", vmks=()))
    _, found = findings(vm(power="poweredOff"), "ESXi_2", hosts=bare)
    assert not failed(found)


def test_suspended_vm_moves_cold_but_its_cpu_baseline_must_fit():
    bare = (host("ESXi_1", "intel-icelake", vmks=()), host("ESXi_2", "intel-cascadelake",
                                                              vmks=()))
    _, found = findings(vm(power="suspended"), "ESXi_2", baseline="intel-icelake", hosts=bare)
    assert failed(found) == [("cpu", "CpuIncompatible")]


def test_local_storage_refused_with_the_kb_wording_and_both_fixes():
    _, found = findings(vm("vm-local", datastores=("ESXi_1-local",)), "ESXi_2",
                        baseline="intel-cascadelake")
    assert failed(found) == [("shared-storage", "CannotAccessVmConfig")]
    finding = next(f for f in found if not f.ok)
    assert "Unable to access the virtual machine configuration" in finding.fault.msg
    assert "ESXi_1-local" in finding.message and "ESXi_2" in finding.message
    assert "datastore='SharedDS'" in finding.fix and "datastore='ESXi_2-local'" in finding.fix
    assert set(finding.objects) == {"ESXi_1-local", "ESXi_2"}


def test_a_disk_elsewhere_is_a_disk_fault():
    the_vm = vm("vm-2", datastores=("SharedDS", "ESXi_1-local"))
    _, found = findings(the_vm, "ESXi_2", baseline="intel-cascadelake")
    assert failed(found) == [("shared-storage", "CannotAccessVmDisk")]


def test_storage_moving_too_needs_no_shared_datastore():
    move, found = findings(vm("vm-local", datastores=("ESXi_1-local",)), "ESXi_2",
                           "ESXi_2-local", baseline="intel-cascadelake")
    assert move.kind == "compute+storage" and not failed(found)


def test_a_target_datastore_the_destination_cannot_see():
    _, found = findings(vm(), "ESXi_2", "ESXi_1-local", baseline="intel-cascadelake")
    assert failed(found) == [("target-datastore", "DatastoreNotWritableOnHost")]
    _, found = findings(vm(), None, "ESXi_2-local")  # storage only, VM stays on ESXi_1
    assert failed(found) == [("target-datastore", "DatastoreNotWritableOnHost")]


def test_networks_must_exist_on_the_destination():
    _, found = findings(vm(networks=("Backend",)), "ESXi_2", baseline="intel-cascadelake")
    assert failed(found) == [("network", "CannotAccessNetwork")]
    assert "Backend" in next(f for f in found if not f.ok).fault.msg
    _, found = findings(vm(), "ESXi_2", network="Nowhere", baseline="intel-cascadelake")
    assert failed(found) == [("network", "CannotAccessNetwork")]


def test_destination_state():
    down = host("ESXi_2", "intel-icelake", state="disconnected")
    _, found = findings(vm(), "ESXi_2", baseline="intel-icelake", hosts=(ESXI_1, down))
    assert failed(found) == [("host-state", "InvalidHostConnectionState")]
    busy = host("ESXi_2", "intel-icelake", maintenance=True)
    _, found = findings(vm(), "ESXi_2", baseline="intel-icelake", hosts=(ESXI_1, busy))
    assert "maintenance mode" in next(f for f in found if not f.ok).fault.msg


def test_cpu_generation_vendor_and_evc():
    _, found = findings(vm(), "ESXi_2", baseline="intel-icelake")
    assert failed(found) == [("cpu", "CpuIncompatible")]
    fix = next(f for f in found if not f.ok).fix
    assert "configure_evc('intel-cascadelake')" in fix
    _, found = findings(vm(), "ESXi_2", baseline="intel-icelake", evc_mode="intel-cascadelake")
    assert "power it off and on again" in next(f for f in found if not f.ok).fix
    _, found = findings(vm(on="ESXi_2"), "ESXi_1", baseline="intel-cascadelake")
    assert not failed(found)  # to the newer CPU: fine without EVC
    amd = host("ESXi_2", "amd-zen", vendor="amd")
    _, found = findings(vm(), "ESXi_2", baseline="intel-merom", hosts=(ESXI_1, amd))
    assert failed(found) == [("cpu", "CpuIncompatible")]
    assert "same vendor" in next(f for f in found if not f.ok).message


def test_nothing_to_do_is_a_finding_not_a_failure():
    _move, found = findings(vm(), "ESXi_1")
    assert [f.rule for f in found] == ["power-state", "destination"] and not failed(found)
    assert "Nothing to do" in found[-1].message


def test_invalid_power_state_refused():
    _, found = findings(vm(power="unknown"), "ESXi_2", baseline="intel-icelake")
    assert ("power-state", "InvalidPowerState") in failed(found)


def test_precheck_refusal_and_display_in_both_languages():
    _, found = findings(vm("vm-local", datastores=("ESXi_1-local",)), "ESXi_2",
                        baseline="intel-icelake")
    check = Precheck(found, vm="vm-local", kind="compute", source="ESXi_1",
                     destination="ESXi_2", simulated=True)
    error = check.refusal()
    assert isinstance(error, MigrationRefused) and not check.ok
    assert isinstance(error.fault, vim.fault.CannotAccessVmConfig)
    lines = str(error).splitlines()
    assert lines[0].startswith("Migration of vm-local") and len(lines) == 1 + 2 * 3
    assert lines[2].startswith("    Fix: ")
    assert "CannotAccessVmConfig — vCenter (simulated by lablib): Unable" in lines[3]
    assert "refused" in str(check) and "<table" in check._repr_html_()
    set_language("fr")
    try:
        assert "Stockage : datastore partagé" in str(check)
        french = str(error).splitlines()  # the same error, shown in the notebook's language
        assert french[0].startswith("Migration de vm-local") and "refusée" in french[0]
        assert french[2].startswith("    Correction : ")
        assert "CannotAccessVmConfig — vCenter (simulé par lablib) : Unable to access" in \
            french[3]
    finally:
        set_language("en")


def test_evc_mode_order_follows_vendor_tier_and_track():
    assert CATALOG.contains("intel-icelake", "intel-cascadelake")
    assert not CATALOG.contains("intel-cascadelake", "intel-icelake")
    assert not CATALOG.contains("amd-zen", "intel-merom")
    assert CATALOG.contains("amd-bulldozer", "amd-greyhound-no3dnow")
    assert not CATALOG.contains("amd-bulldozer", "amd-greyhound")  # 3DNow! branch
    assert CATALOG.common(["intel-icelake", "intel-cascadelake"]) == "intel-cascadelake"
    assert CATALOG.keys("intel")[0] == "intel-merom"
    with pytest.raises(InputError, match="Did you mean 'intel-skylake'"):
        CATALOG.require("intel-skylak")


def test_evc_refusals():
    hosts = [ESXI_1, ESXI_2]
    running = [vm("vm-shared"), vm("vm-off", power="poweredOff")]
    baselines = {"vm-shared": "intel-icelake", "vm-off": ""}
    fault = fallback_rules.evc_fault("intel-icelake", CATALOG, "Cluster", hosts, running,
                                     baselines)
    assert isinstance(fault, vim.fault.EVCModeUnsupportedByHosts)
    assert fault.hostName == ["ESXi_2"]
    fault = fallback_rules.evc_fault("intel-cascadelake", CATALOG, "Cluster", hosts, running,
                                     baselines)
    assert isinstance(fault, vim.fault.ActiveVMsBlockingEVC) and fault.hostName == ["ESXi_1"]
    assert "vm-shared" in fault.msg and "vm-off" not in fault.msg
    fault = fallback_rules.evc_fault("amd-zen", CATALOG, "Cluster", hosts, running, baselines)
    assert isinstance(fault, vim.fault.EVCModeIllegalByVendor)
    assert (fault.clusterCPUVendor, fault.modeCPUVendor) == ("intel", "amd")
    lowered = {"vm-shared": "intel-cascadelake"}
    assert fallback_rules.evc_fault("intel-cascadelake", CATALOG, "Cluster", hosts, running,
                                    lowered) is None
    assert fallback_rules.evc_fault("intel-skylake", CATALOG, "Cluster", hosts, [], {}) is None


def test_storage_paths_on_the_simulator_stay_on_a_readable_datastore():
    assert files.path_datastore("SharedDS", ["ESXi_1-local", "SharedDS"], []) == "SharedDS"
    assert files.path_datastore("ESXi_2-local", ["ESXi_1-local", "SharedDS"],
                                    ["ESXi_2-local", "SharedDS"]) == "SharedDS"
    assert files.path_datastore("B", ["A"], ["B"]) is None

"""EVC on vcsim: the mode table, configuring it, and the VMs' CPU baselines."""

import html

import pytest
from pyVmomi import vim

from lablib import govc, set_language
from lablib.errors import EvcRefused, OperationRefused
from vmotion_setup import OLDER_EVC, prepare


def test_the_mode_table_orders_generations_and_says_where_it_comes_from(any_lab):
    lab = any_lab
    modes = lab.evc_modes()
    intel = modes.keys("intel")
    assert intel.index("intel-merom") < intel.index("intel-cascadelake") < \
        intel.index("intel-icelake")
    assert modes.hosts_supporting("intel-icelake") == ["ESXi_1"]
    assert modes.hosts_supporting("intel-cascadelake") == ["ESXi_1", "ESXi_2"]
    assert modes.best == OLDER_EVC and modes.current == ""
    assert modes.simulated == bool(lab.backend.simulated)
    note = {True: ("simulated by lablib: the public vcsim image has no API for this",
                   "simulé par lablib : l'image vcsim publique n'a pas d'API pour cela"),
            False: ("The lab simulator models these modes",
                    "Le simulateur du lab modélise ces modes")}[modes.simulated]
    assert note[0] in str(modes) and "(?)" in str(modes)  # the unconfirmed key strings
    set_language("fr")
    try:
        assert note[1] in html.unescape(lab.evc_modes()._repr_html_())
    finally:
        set_language("en")


def test_raising_the_mode_while_vms_run_keeps_their_baseline(lab):
    for vm in ("vm-shared", "vm-local"):
        lab.power_off(vm)
    assert lab.cpu_baseline("vm-shared") == ""
    lab.configure_evc("intel-sandybridge")
    for vm in ("vm-shared", "vm-local"):
        lab.power_on(vm)
    assert lab.cpu_baseline("vm-shared") == "intel-sandybridge"
    lab.configure_evc(OLDER_EVC)  # raising is allowed while they run
    assert lab.evc_mode() == OLDER_EVC
    assert lab.cpu_baseline("vm-shared") == "intel-sandybridge"
    with pytest.raises(EvcRefused) as lowering:
        lab.configure_evc("intel-merom")
    assert isinstance(lowering.value.fault, vim.fault.ActiveVMsBlockingEVC)
    lab.power_off("vm-shared")
    lab.power_on("vm-shared")
    assert lab.cpu_baseline("vm-shared") == OLDER_EVC


def test_disabling_evc_leaves_running_vms_on_their_baseline(lab):
    prepare(lab)
    modes = lab.disable_evc()
    assert modes.current == "" and lab.evc_mode() == ""
    assert lab.cpu_baseline("vm-shared") == OLDER_EVC
    lab.power_off("vm-shared")
    lab.power_on("vm-shared")
    assert lab.cpu_baseline("vm-shared") == "intel-icelake"  # ESXi_1's CPU, without EVC


def test_a_power_cycle_by_govc_resets_the_baseline(lab):
    assert govc.run("govc vm.power -off vm-shared", lab.sim_state).ok
    lab.power_off("vm-local")
    lab.configure_evc(OLDER_EVC)
    lab.power_on("vm-local")
    assert govc.run("govc vm.power -on vm-shared", lab.sim_state).ok
    assert lab.cpu_baseline("vm-shared") == OLDER_EVC


def test_suspend_and_resume_keep_the_baseline(lab):
    prepare(lab)
    lab.disable_evc()
    assert govc.run("govc vm.power -suspend vm-shared", lab.sim_state).ok
    assert govc.run("govc vm.power -on vm-shared", lab.sim_state).ok
    assert lab.cpu_baseline("vm-shared") == OLDER_EVC  # not a full power cycle


def test_power_on_refused_on_a_host_in_maintenance(lab):
    lab.power_off("vm-shared")
    lab.migrate("vm-shared", host="ESXi_2")  # cold
    report = lab.enter_maintenance("ESXi_2")
    assert report.entered and report.stayed == ["vm-shared"]
    with pytest.raises(OperationRefused, match="maintenance mode") as refused:
        lab.power_on("vm-shared")
    assert isinstance(refused.value.fault, vim.fault.InvalidState)
    lab.exit_maintenance("ESXi_2")
    assert lab.power_on("vm-shared").power_state == "poweredOn"
    assert lab.power_on("vm-shared").power_state == "poweredOn"  # idempotent

"""The vMotion operations on the vCenter path: same code, real APIs, the server's checks.

On every run the target is the lab simulator given to lablib as a vCenter (conftest.py);
with LAB_TEST_VCENTER=1 it is a real vCenter. The tests touch only the lab's scope and put
back what they change (vMotion flags, the VM's host, EVC).
"""

import os

import pytest

from lablib.errors import OutOfScope, Unsupported

real_vcenter_only = pytest.mark.skipif(
    os.environ.get("LAB_TEST_VCENTER") != "1",
    reason="needs a real vCenter's own behaviour: set LAB_TEST_VCENTER=1 and LAB_*")


def test_the_real_apis_answer_and_nothing_is_simulated(vc):
    assert not vc.backend.simulated
    assert isinstance(vc.vmotion_vmks(vc.roles.source_host), list)
    modes = vc.evc_modes()
    assert not modes.simulated and modes.keys()
    assert isinstance(vc.evc_mode(), str) and isinstance(vc.cpu_baseline(vc.roles.vm), str)
    names = [f.name for f in vc.conn.content.customFieldsManager.field or []]
    assert not [n for n in names if n.startswith("vmotionlab.")]


def test_reset_is_refused_on_a_vcenter(vc):
    with pytest.raises(Unsupported, match="never touches a real vCenter"):
        vc.reset()


def test_the_guard_refuses_what_is_outside_the_scope(vc):
    datacenter = vc.find("datacenter", vc.roles.datacenter)
    with pytest.raises(OutOfScope, match="outside the lab scope"):
        vc.session.check_change("rename", datacenter)


def test_vmotion_flag_round_trip_restores_the_host(vc):
    host = vc.roles.destination_host
    before = vc.vmotion_vmks(host)
    if "vmk0" in before:
        assert "vmk0" not in vc.disable_vmotion(host, "vmk0")
        assert "vmk0" in vc.enable_vmotion(host, "vmk0")
    else:
        assert "vmk0" in vc.enable_vmotion(host, "vmk0")
        assert "vmk0" not in vc.disable_vmotion(host, "vmk0")
    assert vc.vmotion_vmks(host) == before


def test_precheck_shows_the_servers_check_relocate_explained(vc):
    check = vc.precheck(vc.roles.vm, host=vc.roles.destination_host)
    assert "CheckRelocate_Task" in str(check)
    assert not check.simulated and not any(f.simulated for f in check)


def test_migrate_there_and_back_once_the_lab_is_ready(vc):
    roles = vc.roles
    changed = [h for h in (roles.source_host, roles.destination_host)
               if "vmk0" not in vc.vmotion_vmks(h)]
    evc_before = vc.evc_mode()
    running = [vm for vm in (roles.vm, roles.local_vm)
               if vc.placement(vm).power_state == "poweredOn"]
    try:
        for host in changed:
            vc.enable_vmotion(host)
        if not vc.precheck(roles.vm, host=roles.destination_host).ok:
            _power_cycled(vc, running, lambda: vc.configure_evc(vc.evc_modes().best))
        vm, home = roles.vm, vc.placement(roles.vm).host
        other = roles.destination_host if home != roles.destination_host \
            else roles.source_host
        result = vc.migrate(vm, host=other, timeout=600)
        assert result.after.host == other == vc.placement(vm).host
        assert result.event is None or not result.event.simulated
        assert vc.tasks(vm, limit=5).items and vc.events(vm).items
        vc.migrate(vm, host=home, timeout=600)
        assert vc.placement(vm).host == home
    finally:
        for host in changed:
            vc.disable_vmotion(host)
        if vc.evc_mode() != evc_before:
            _power_cycled(vc, running, lambda: vc.configure_evc(evc_before) if evc_before
                          else vc.disable_evc())


def _power_cycled(vc, vms, change) -> None:
    """Power `vms` off, make the EVC `change`, power them on: they take the new baseline."""
    for vm in vms:
        vc.power_off(vm)
    change()
    for vm in vms:
        vc.power_on(vm)


def test_rebalance_gives_advice_without_moving(vc):
    before = vc.placement(vc.roles.vm)
    advice = vc.rebalance()
    assert isinstance(advice, list)
    assert vc.placement(vc.roles.vm) == before


@real_vcenter_only
def test_the_server_is_a_real_vcenter(vc):
    # On the lab simulator the server says it is one: only a real vCenter shows this.
    assert not vc.conn.is_simulator and vc.conn.about.apiType == "VirtualCenter"

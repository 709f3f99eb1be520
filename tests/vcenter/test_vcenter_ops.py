"""The vMotion operations on a real vCenter: same code path, real APIs, vCenter's checks.

Run with LAB_TEST_VCENTER=1 and LAB_BACKEND=vcenter, LAB_HOST, LAB_USER, LAB_PASSWORD,
a lab scope (LAB_SCOPE_CLUSTER) and the roles of lab.toml. The tests only touch the lab's
scope and put back what they change (vMotion flags, the VM's host, maintenance mode).
"""

import os

import pytest

import lablib
from lablib.fallback import FallbackBackend

pytestmark = [
    pytest.mark.vcenter,
    pytest.mark.skipif(os.environ.get("LAB_TEST_VCENTER") != "1",
                       reason="needs a real vCenter: set LAB_TEST_VCENTER=1 and LAB_* "
                              "(LAB_BACKEND=vcenter, LAB_HOST, LAB_USER, LAB_PASSWORD)"),
]


@pytest.fixture(scope="module")
def vc():
    lab = lablib.connect()
    if lab.sim_state is not None:
        pytest.skip("the configured target is not a vCenter")
    yield lab
    lab.close()


def test_the_real_apis_answer_and_nothing_is_simulated(vc):
    assert isinstance(vc.vmotion_vmks(vc.roles.source_host), list)
    assert not isinstance(vc.backend, FallbackBackend) and not vc.backend.simulated
    modes = vc.evc_modes()
    assert not modes.simulated and modes.keys()
    assert isinstance(vc.evc_mode(), str) and isinstance(vc.cpu_baseline(vc.roles.vm), str)
    fields = vc.conn.content.customFieldsManager.field or []
    assert not [f.name for f in fields if f.name.startswith("vmotionlab.")]


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


def test_migrate_there_and_back_when_the_rules_allow(vc):
    vm = vc.roles.vm
    home = vc.placement(vm).host
    other = vc.roles.destination_host if home != vc.roles.destination_host \
        else vc.roles.source_host
    check = vc.precheck(vm, host=other)
    if not check.ok:
        pytest.skip(f"the lab is not ready for a vMotion: {check.refusal()}")
    result = vc.migrate(vm, host=other, timeout=600)
    try:
        assert result.after.host == other == vc.placement(vm).host
        assert result.event is None or not result.event.simulated
        assert vc.tasks(vm, limit=5).items and vc.events(vm).items
    finally:
        vc.migrate(vm, host=home, timeout=600)
    assert vc.placement(vm).host == home


def test_rebalance_gives_advice_without_moving(vc):
    before = vc.placement(vc.roles.vm)
    advice = vc.rebalance()
    assert isinstance(advice, list)
    assert vc.placement(vc.roles.vm) == before


def test_configuring_the_current_evc_mode_goes_through_the_real_task(vc):
    mode = vc.evc_mode()
    if not mode:
        pytest.skip("EVC is off on the lab cluster; the test only re-applies a mode")
    assert vc.configure_evc(mode).current == mode

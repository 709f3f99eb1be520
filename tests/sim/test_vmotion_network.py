"""The vMotion service of VMkernel adapters, on vcsim (which lacks the API)."""

from lablib import govc
from lablib.vmotion import capability
from lablib.vmotion.network import selected_devices


def test_enable_and_disable_vmotion_on_vmk0(lab):
    assert lab.vmotion_vmks("ESXi_1") == []
    assert lab.enable_vmotion("ESXi_1") == ["vmk0"]
    assert lab.enable_vmotion("ESXi_1", "vmk0") == ["vmk0"]  # idempotent
    assert lab.vmotion_vmks("ESXi_1") == ["vmk0"] and lab.vmotion_vmks("ESXi_2") == []
    host = lab.facts.snapshot().host("ESXi_1")
    assert host.vmotion_vmks == ("vmk0",) and "vmotion_vmks" in host.emulated
    assert lab.disable_vmotion("ESXi_1") == []
    assert lab.facts.snapshot().host("ESXi_1").vmotion_vmks == ()


def test_the_real_api_is_tried_first_and_the_answer_is_remembered(lab):
    assert capability.known(lab.conn, "SelectVnicForNicType") is None
    lab.enable_vmotion("ESXi_2")
    # vcsim answered MethodNotFound / InvalidArgument (vcsim-gaps.md §4(a)).
    assert capability.known(lab.conn, "SelectVnicForNicType") is False
    assert capability.known(lab.conn, "QueryNetConfig(vmotion)") is False
    calls = lab.round_trips
    lab.disable_vmotion("ESXi_2")
    lab.enable_vmotion("ESXi_2")
    assert lab.round_trips - calls < 20  # no retry of the missing method each time


def test_the_simulated_state_is_shared_with_govc(lab):
    lab.enable_vmotion("ESXi_2")
    shown = govc.run("govc fields.info -n vmotionlab.vmotion_vmks "
                     "/Datacenter/host/Cluster/ESXi_2", lab.sim_state)
    assert shown.ok and "vmk0" in shown.stdout


def test_selected_keys_map_to_devices_on_a_real_answer(lab):
    # vcsim answers QueryNetConfig for the management nic type only (vcsim-gaps.md §4(a)).
    manager = lab.host("ESXi_1").configManager.virtualNicManager
    assert selected_devices(manager.QueryNetConfig("management")) == ["vmk0"]

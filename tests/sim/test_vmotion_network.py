"""The vMotion service of VMkernel adapters (SelectVnicForNicType and friends)."""

from lablib import govc
from lablib.facts import selected_devices
from lablib.fallback import FallbackBackend


def test_enable_and_disable_vmotion_on_vmk0(lab):
    assert lab.vmotion_vmks("ESXi_1") == []
    assert lab.enable_vmotion("ESXi_1") == ["vmk0"]
    assert lab.enable_vmotion("ESXi_1", "vmk0") == ["vmk0"]  # idempotent
    assert lab.vmotion_vmks("ESXi_1") == ["vmk0"] and lab.vmotion_vmks("ESXi_2") == []
    host = lab.facts.snapshot().host("ESXi_1")
    assert host.vmotion_vmks == ("vmk0",)
    assert ("vmotion_vmks" in host.simulated) == isinstance(lab.backend, FallbackBackend)
    assert lab.disable_vmotion("ESXi_1") == []
    assert lab.facts.snapshot().host("ESXi_1").vmotion_vmks == ()


def test_an_unchanged_adapter_sends_no_change(lab):
    lab.enable_vmotion("ESXi_2")
    before = dict(lab.conn.calls)
    lab.enable_vmotion("ESXi_2")
    sent = {m for m, n in lab.conn.calls.items() if n > before.get(m, 0)}
    assert not sent & {"SelectVnicForNicType", "SetField"}


def test_govc_sees_what_lablib_set(lab):
    lab.enable_vmotion("ESXi_2")
    if isinstance(lab.backend, FallbackBackend):  # the public image: lablib's custom field
        shown = govc.run("govc fields.info -n vmotionlab.vmotion_vmks "
                         "/Datacenter/host/Cluster/ESXi_2", lab.sim_state)
    else:
        shown = govc.run("govc host.vnic.info -host ESXi_2", lab.sim_state)
    assert shown.ok and "vmk0" in shown.stdout


def test_selected_keys_map_to_devices(lab):
    manager = lab.host("ESXi_1").configManager.virtualNicManager
    assert selected_devices(manager.QueryNetConfig("management")) == ["vmk0"]

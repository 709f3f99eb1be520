"""The vMotion service of a host's VMkernel adapters (course: vmk0 > Modifier > vMotion).

Real vCenter: `host.configManager.virtualNicManager`, `QueryNetConfig("vmotion")` for the
selected adapters (their keys map to devices through `candidateVnic`),
`SelectVnicForNicType` / `DeselectVnicForNicType` to change them (vsphere-facts.md §1).
vcsim answers InvalidArgument to the read and MethodNotFound to the changes
(vcsim-gaps.md §4(a)): the state is then kept by lablib.sim.emulation.
"""

from __future__ import annotations

from pyVmomi import vmodl

from .. import scope
from ..errors import InputError, NotFoundError, quoted
from ..facts import selected_devices
from ..sim import emulation
from . import capability

NIC_TYPE = "vmotion"


def vmotion_vmks(lab, host) -> list[str]:
    """Return the host's VMkernel adapters with the vMotion service, e.g. ["vmk0"].

    govc: govc host.vnic.info -host H ("Enabled services"; vCenter only: vcsim lists no
    adapter). PowerCLI: Get-VMHostNetworkAdapter -VMHost H -VMKernel | Select Name, VMotionEnabled
    """
    obj = lab.host(host)
    return _selected(lab, obj, _manager(lab, obj))


def enable_vmotion(lab, host, device: str = "vmk0") -> list[str]:
    """Enable the vMotion service on a VMkernel adapter; return the adapters that have it.

    Raises:
        NotFoundError: the host has no such adapter (the message lists its adapters).

    govc: govc host.vnic.service -host H -enable vmotion vmk0 (vCenter only).
    PowerCLI: Get-VMHostNetworkAdapter -VMHost H -Name vmk0 |
        Set-VMHostNetworkAdapter -VMotionEnabled $true -Confirm:$false
    """
    return _change(lab, host, device, enable=True)


def disable_vmotion(lab, host, device: str = "vmk0") -> list[str]:
    """Disable the vMotion service on a VMkernel adapter; return the adapters that keep it.

    govc: govc host.vnic.service -host H -enable=false vmotion vmk0 (vCenter only).
    PowerCLI: Get-VMHostNetworkAdapter -VMHost H -Name vmk0 |
        Set-VMHostNetworkAdapter -VMotionEnabled $false -Confirm:$false
    """
    return _change(lab, host, device, enable=False)


def _change(lab, host, device, enable: bool) -> list[str]:
    obj = lab.host(host)
    scope.check_change(lab, "enable vMotion on" if enable else "disable vMotion on", obj)
    row = lab.inventory.retrieve_one(obj, ["name", "config.network.vnic",
                                           "configManager.virtualNicManager"])
    device = _device(row, device)
    manager = row["configManager.virtualNicManager"]
    current = _selected(lab, obj, manager)
    if (device in current) == enable:
        return current
    method = "SelectVnicForNicType" if enable else "DeselectVnicForNicType"
    wanted = set(current) | {device} if enable else set(current) - {device}
    capability.call(lab.conn, method, lambda: getattr(manager, method)(NIC_TYPE, device),
                    lambda: emulation.set_vmotion_vmks(lab.conn, obj, wanted))
    return _selected(lab, obj, manager)


def _manager(lab, host):
    return lab.inventory.retrieve_one(host, ["configManager.virtualNicManager"])[
        "configManager.virtualNicManager"]


def _selected(lab, host, manager) -> list[str]:
    return capability.call(lab.conn, "QueryNetConfig(vmotion)",
                           lambda: selected_devices(manager.QueryNetConfig(NIC_TYPE)),
                           lambda: emulation.vmotion_vmks(lab.conn, host),
                           missing=(vmodl.fault.MethodNotFound,
                                    vmodl.fault.InvalidArgument))[0]


def _device(row, device) -> str:
    vmks = [v.device for v in row.get("config.network.vnic", [])]
    if not isinstance(device, str) or not device.strip():
        raise InputError(f"Expected a VMkernel adapter name such as 'vmk0', got "
                         f"{str(device)[:60]!r}. {row['name']} has {quoted(vmks)}.")
    name = device.strip()
    if name not in vmks:
        raise NotFoundError(f"{row['name']} has no VMkernel adapter '{name[:60]}'. Its "
                            f"VMkernel adapters: {quoted(vmks)}.", "vmknic", name, vmks)
    return name

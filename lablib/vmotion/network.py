"""The vMotion service of a host's VMkernel adapters (course: vmk0 > Modifier > vMotion).

`host.configManager.virtualNicManager`: `QueryNetConfig("vmotion")` for the selected
adapters, `SelectVnicForNicType` / `DeselectVnicForNicType` to change them
(docs/vsphere-facts.md §1). The lab simulator serves them as vCenter does; on the public
vcsim image lablib.fallback stands in (docs/vcsim-gaps.md §4(a)).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InputError, NotFoundError, quoted
from ..text import Text

if TYPE_CHECKING:
    from ..session import Session


def vmotion_vmks(session: Session, host: Any) -> list[str]:
    """Return the host's VMkernel adapters with the vMotion service, e.g. ["vmk0"].

    govc: govc host.vnic.info -host H ("Services" column).
    PowerCLI: Get-VMHostNetworkAdapter -VMHost H -VMKernel | Select Name, VMotionEnabled
    """
    return session.backend.vmotion_vmks(session.host(host))


def enable_vmotion(session: Session, host: Any, device: str = "vmk0") -> list[str]:
    """Enable the vMotion service on a VMkernel adapter; return the adapters that have it.

    Raises:
        NotFoundError: the host has no such adapter (the message lists its adapters).

    govc: govc host.vnic.service -host H -enable vmotion vmk0
    PowerCLI: Get-VMHostNetworkAdapter -VMHost H -Name vmk0 |
        Set-VMHostNetworkAdapter -VMotionEnabled $true -Confirm:$false
    """
    return _change(session, host, device, enable=True)


def disable_vmotion(session: Session, host: Any, device: str = "vmk0") -> list[str]:
    """Disable the vMotion service on a VMkernel adapter; return the adapters that keep it.

    govc: govc host.vnic.service -host H -enable=false vmotion vmk0
    PowerCLI: Get-VMHostNetworkAdapter -VMHost H -Name vmk0 |
        Set-VMHostNetworkAdapter -VMotionEnabled $false -Confirm:$false
    """
    return _change(session, host, device, enable=False)


def _change(session: Session, host: Any, device: Any, enable: bool) -> list[str]:
    obj = session.host(host)
    row = session.inventory.retrieve_one(obj, ["name", "config.network.vnic"])
    device = _device(row, device)
    session.check_change("enable vMotion on" if enable else "disable vMotion on", obj)
    backend = session.backend
    if (device in backend.vmotion_vmks(obj)) != enable:
        backend.set_vmotion(obj, device, enable)
    return backend.vmotion_vmks(obj)


def _device(row: dict, device: Any) -> str:
    vmks = [v.device for v in row.get("config.network.vnic", [])]
    if not isinstance(device, str) or not device.strip():
        raise InputError(Text(
            "Expected a VMkernel adapter name such as 'vmk0', got {got}. {host} has {vmks}.",
            "Attendu : un nom d'adaptateur VMkernel comme 'vmk0', reçu {got}. {host} a "
            "{vmks}.", got=repr(device)[:60], host=row.get("name", "?"), vmks=quoted(vmks)))
    name = device.strip()
    if name not in vmks:
        raise NotFoundError(Text(
            "{host} has no VMkernel adapter '{name}'. Its VMkernel adapters: {vmks}.",
            "{host} n'a pas d'adaptateur VMkernel '{name}'. Ses adaptateurs VMkernel : {vmks}.",
            host=row.get("name", "?"), name=name[:60], vmks=quoted(vmks)), "vmknic", name, vmks)
    return name

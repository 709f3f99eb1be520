"""The RelocateSpec of a planned migration (docs/vsphere-facts.md §3).

- compute: the destination host and a resource pool of its cluster: the VM's own pool
  when it stays in the cluster, else the destination's root pool (vcsim keeps the old
  pool otherwise, docs/vcsim-gaps.md §4(c); govc vm.migrate does the same);
- storage: the datastore, plus one DiskLocator per virtual disk;
- network: a deviceChange that edits each network adapter's backing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pyVmomi import vim

if TYPE_CHECKING:
    from ..inventory import Inventory
    from .plan import Plan

_NIC = vim.vm.device.VirtualEthernetCard


def relocate_spec(inventory: Inventory, plan: Plan) -> vim.vm.RelocateSpec:
    """Return the RelocateSpec that carries out `plan`."""
    move = plan.move
    row = inventory.retrieve_one(plan.vm, ["resourcePool", "config.hardware.device"])
    devices = list(row.get("config.hardware.device") or [])
    spec = vim.vm.RelocateSpec()
    if move.host_changes:
        spec.host = plan.host
        spec.pool = row.get("resourcePool") if move.source.cluster == move.destination.cluster \
            else _root_pool(inventory, plan.host)
    if move.datastore_changes:
        spec.datastore = plan.datastore
        spec.disk = [vim.vm.RelocateSpec.DiskLocator(diskId=d.key, datastore=plan.datastore)
                     for d in devices if isinstance(d, vim.vm.device.VirtualDisk)]
    if plan.network is not None:
        backing = _backing(inventory, plan.network, move.network or "")
        spec.deviceChange = [_edit(nic, backing) for nic in devices if isinstance(nic, _NIC)]
    return spec


def _root_pool(inventory: Inventory, host: Any) -> Any:
    parent = inventory.retrieve_one(host, ["parent"])["parent"]
    return inventory.retrieve_one(parent, ["resourcePool"])["resourcePool"]


def _backing(inventory: Inventory, network: Any, name: str) -> Any:
    if isinstance(network, vim.dvs.DistributedVirtualPortgroup):
        row = inventory.retrieve_one(network, ["key", "config.distributedVirtualSwitch"])
        uuid = inventory.retrieve_one(row["config.distributedVirtualSwitch"],
                                      ["uuid"])["uuid"]
        return _NIC.DistributedVirtualPortBackingInfo(
            port=vim.dvs.PortConnection(switchUuid=uuid, portgroupKey=row["key"]))
    return _NIC.NetworkBackingInfo(deviceName=name, network=network)


def _edit(nic: Any, backing: Any) -> Any:
    nic.backing = backing
    return vim.vm.device.VirtualDeviceSpec(
        operation=vim.vm.device.VirtualDeviceSpec.Operation.edit, device=nic)

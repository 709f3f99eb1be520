"""The lab scope: on a real vCenter, lablib changes only what the configuration names.

An instructor's vCenter holds more than the lab. Every operation that changes something
(migrate, vMotion on a vmknic, EVC, power, maintenance) calls `check_change` first, so
a change outside the scope is refused before any call reaches vCenter (DESIGN.md §8).
Reading is always allowed. The check depends on the configured target, not on the
server's kind, so it is tested against the simulator configured as a vCenter.
"""

from __future__ import annotations

from pyVmomi import vim

from .errors import OutOfScope
from .inventory import kind_of, label


def check_change(lab, action: str, *objects) -> None:
    """Raise OutOfScope unless every object may be changed by `action` in this lab.

    Args:
        lab: the Lab.
        action: what would change, for the message ("migrate", "enable vMotion on").
        objects: the managed objects the action changes or moves things to.
    """
    if lab.config.backend == "simulator":
        return  # the embedded simulator is the lab: everything in it is in scope
    scope = lab.config.scope
    if not (scope.cluster or scope.folder or scope.resource_pool):
        raise OutOfScope(
            f"No lab scope is configured for vCenter {lab.config.vcenter.host}, so lablib "
            f"will not {action} anything there. Name the lab's cluster (or folder and "
            "resource pool) in lab.toml [scope].")
    for obj in objects:
        if obj is not None and not _inside(lab, obj):
            raise OutOfScope(
                f"Refused to {action} {label(kind_of(obj))} '{obj.name}': it is outside the "
                f"lab scope ({_describe(scope)}). lablib only changes the lab's objects; "
                "ask your instructor if this is your lab.")


def _inside(lab, obj) -> bool:
    scope = lab.config.scope
    if isinstance(obj, vim.VirtualMachine):
        return _vm_inside(lab, obj)
    if scope.cluster:
        cluster = lab.inventory.find("cluster", scope.cluster)
        if isinstance(obj, vim.ClusterComputeResource):
            return obj == cluster
        if isinstance(obj, vim.HostSystem):
            return obj.parent == cluster
        if isinstance(obj, vim.Datastore):
            return obj in cluster.datastore
        if isinstance(obj, vim.Network):
            return obj in cluster.network
    return False  # with a folder/pool scope, hosts and clusters are the instructor's


def _vm_inside(lab, vm) -> bool:
    scope = lab.config.scope
    if scope.folder:
        folder = lab.inventory.path(vm.parent)
        if not (folder == scope.folder.rstrip("/")
                or folder.startswith(scope.folder.rstrip("/") + "/")):
            return False
    if scope.resource_pool:
        pool = lab.inventory.find("resource pool", scope.resource_pool)
        if vm.resourcePool != pool:
            return False
    if scope.cluster:
        return vm.runtime.host.parent == lab.inventory.find("cluster", scope.cluster)
    return True


def _describe(scope) -> str:
    parts = [f"cluster '{scope.cluster}'" if scope.cluster else "",
             f"folder '{scope.folder}'" if scope.folder else "",
             f"resource pool '{scope.resource_pool}'" if scope.resource_pool else ""]
    return ", ".join(p for p in parts if p)

"""vCenter's rules, decided by lablib on the public vcsim image, which applies none.

Stock vcsim accepts any relocation and any EVC mode (docs/vcsim-gaps.md §4(b)-(d)), so on
that image lablib plays the server: for a planned move (or an EVC mode) these functions
return the faults vCenter raises, with vCenter's English messages (docs/vsphere-facts.md
§1-§4), in the order the lab simulator reports them. lablib.vmotion.rules then explains
them exactly as it explains the server's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from ..errors import quoted
from ..facts import HostFacts, VmFacts
from ..vmotion.evc_modes import EvcCatalog

if TYPE_CHECKING:
    from ..vmotion.plan import Move

_RUNNING = ("poweredOn", "suspended")
_KB_CPU = ("The CPU of the host is incompatible with the CPU feature requirements of the "
           "virtual machine; problem detected at CPUID level {level} register '{register}'.")


def fault(kind: type, **fields: Any) -> Any:
    """Return the pyVmomi fault `kind` with `fields`, leaving out the unset (None) ones."""
    known = {name: [v for v in value if v is not None] if isinstance(value, list) else value
             for name, value in fields.items() if value is not None}
    return kind(**known)


def relocation_faults(move: Move) -> list[Any]:
    """Return the faults vCenter raises for `move`, in the order the lab simulator uses."""
    if not move.changes:
        return []
    return (_power_state(move) + _host_state(move) + _vmotion_network(move) + _files(move)
            + _target_datastore(move) + _networks(move) + _cpu(move))


def _power_state(move: Move) -> list[Any]:
    state = move.vm.power_state
    if state in ("poweredOn", "poweredOff", "suspended"):
        return []
    return [fault(vim.fault.InvalidPowerState, existingState=state or None,
                  msg=f"The attempted operation cannot be performed in the current state "
                      f"({state}).")]


def _host_state(move: Move) -> list[Any]:
    dst = move.destination
    if not move.host_changes:
        return []
    prefix = "The operation is not allowed in the current state of the host"
    if dst.connection_state != "connected":
        state = dst.connection_state or "unreachable"
        return [fault(vim.fault.InvalidHostConnectionState, host=dst.obj,
                      msg=f"{prefix} '{dst.name}': it is {state}.")]
    if dst.in_maintenance:
        return [fault(vim.fault.InvalidHostState, host=dst.obj,
                      msg=f"{prefix} '{dst.name}': it is in maintenance mode.")]
    return []


def _vmotion_network(move: Move) -> list[Any]:
    src, dst = move.source, move.destination
    if not (move.host_changes and move.live):
        return []
    return [fault(vim.fault.VMotionNotConfigured, atSourceHost=at_source, failedHost=host.name,
                  failedHostEntity=host.obj,
                  msg=f"Unable to migrate from {src.name} to {dst.name}: The vMotion interface "
                      f"is not configured (or is misconfigured) on the "
                      f"{'source' if at_source else 'destination'} host '{host.name}'.")
            for host, at_source in ((src, True), (dst, False)) if not host.vmotion_vmks]


def _files(move: Move) -> list[Any]:
    vm, dst = move.vm, move.destination
    if not move.host_changes or move.target is not None:
        return []
    config = _config_datastore(vm)
    found = []
    for ds in (d for d in vm.datastores if d not in dst.datastores):
        if ds == config:
            vmx = f"[{ds}]{vm.files.split(']', 1)[1]}" if "]" in vm.files else f"[{ds}] {vm.name}"
            found.append(fault(vim.fault.CannotAccessVmConfig, msg=(
                f"Unable to access the virtual machine configuration: Unable to access file "
                f"{vmx}")))
        else:
            found.append(fault(vim.fault.CannotAccessVmDisk, msg=(
                f"Unable to access a virtual disk of '{vm.name}' on datastore '{ds}' from "
                f"host '{dst.name}'.")))
    return found


def _config_datastore(vm: VmFacts) -> str:
    """Return the datastore of the VM's configuration file (.vmx)."""
    named = vm.files[1:].split("]")[0] if vm.files.startswith("[") else ""
    return named if named in vm.datastores else (vm.datastores[0] if vm.datastores else "")


def _target_datastore(move: Move) -> list[Any]:
    target, dst = move.target, move.destination
    if target is None or target.name in dst.datastores:
        return []
    return [fault(vim.fault.DatastoreNotWritableOnHost, datastore=target.obj,
                  name=target.name, host=dst.obj,
                  msg=f"The datastore '{target.name}' is not writable on the host '{dst.name}'.")]


def _networks(move: Move) -> list[Any]:
    vm, dst = move.vm, move.destination
    if not (move.host_changes or move.network):
        return []
    needed = [move.network] if move.network else list(vm.networks)
    return [fault(vim.fault.CannotAccessNetwork,
                  msg=f"Currently connected network interface of '{vm.name}' uses network "
                      f"'{net}', which is not accessible on host '{dst.name}'.")
            for net in needed if net not in dst.networks]


def _cpu(move: Move) -> list[Any]:
    vm, src, dst, catalog = move.vm, move.source, move.destination, move.catalog
    if not move.host_changes or vm.power_state == "poweredOff":
        return []
    head = f"Unable to migrate from {src.name} to {dst.name}: "
    if src.cpu_vendor and dst.cpu_vendor and src.cpu_vendor != dst.cpu_vendor:
        return [fault(vim.fault.CpuIncompatible, level=0, registerName="ebx", host=dst.obj,
                      msg=head + _KB_CPU.format(level="0x0", register="ebx"))]
    baseline, top = move.baseline, dst.max_evc
    if catalog is None or not baseline or not top or catalog.contains(top, baseline):
        return []
    return [fault(vim.fault.CpuIncompatible, level=1, registerName="ecx", host=dst.obj,
                  msg=head + _KB_CPU.format(level="0x1", register="ecx"))]


def power_on_fault(vm: VmFacts, host: HostFacts) -> Any:
    """Return the fault vCenter raises for powering on a VM whose host is in maintenance."""
    if not host.in_maintenance:
        return None
    return fault(vim.fault.InvalidState,
                 msg=f"The operation is not allowed in the current state: '{host.name}' is in "
                     "maintenance mode.")


def evc_fault(mode: str, modes: EvcCatalog, cluster: str, hosts: Sequence[HostFacts],
              vms: Sequence[VmFacts], baselines: dict[str, str]) -> Any:
    """Return the fault vCenter raises for EVC `mode` on these hosts and VMs, or None."""
    if not mode:
        return None
    wanted = modes.get(mode)
    if wanted is None:
        return fault(vim.fault.EVCModeUnsupportedByHosts, evcMode=mode,
                     msg=f"The EVC mode '{mode}' is not known to this server.")
    other = sorted({h.cpu_vendor for h in hosts if h.cpu_vendor} - {wanted.vendor})
    if other:
        return fault(vim.fault.EVCModeIllegalByVendor, clusterCPUVendor=other[0],
                     modeCPUVendor=wanted.vendor,
                     msg=f"The EVC mode '{mode}' is for {wanted.vendor} CPUs, but the hosts of "
                         f"cluster '{cluster}' have {other[0]} CPUs.")
    unsupported = [h for h in hosts if not modes.contains(h.max_evc, mode)]
    if unsupported:
        names = [h.name for h in unsupported]
        return fault(vim.fault.EVCModeUnsupportedByHosts, evcMode=mode,
                     host=[h.obj for h in unsupported], hostName=names,
                     msg=f"The EVC mode '{mode}' cannot be configured on cluster '{cluster}': "
                         f"host {quoted(names).render('en')} cannot support it.")
    blocking: dict[str, list[str]] = {}
    for vm in vms:
        baseline = baselines.get(vm.name, "")
        if vm.power_state in _RUNNING and baseline and not modes.contains(mode, baseline):
            blocking.setdefault(vm.host, []).append(f"{vm.name} ({baseline})")
    if blocking:
        names = sorted(blocking)
        detail = "; ".join(f"on {h}: {', '.join(blocking[h])}" for h in names)
        return fault(vim.fault.ActiveVMsBlockingEVC, evcMode=mode,
                     host=[h.obj for h in hosts if h.name in blocking], hostName=names,
                     msg=f"The EVC mode '{mode}' cannot be configured on cluster '{cluster}': "
                         f"host {quoted(names).render('en')} has powered-on VMs using more "
                         f"CPU features than this mode ({detail}).")
    return None

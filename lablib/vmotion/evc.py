"""EVC on a cluster: its mode, configuring and disabling it, and the VMs' CPU baselines.

A real vCenter is driven through `cluster.EvcManager()`: `evcState`,
`ConfigureEvcMode_Task`, `DisableEvcMode_Task` (vsphere-facts.md §2). vcsim answers
MethodNotFound (vcsim-gaps.md §4(b)), so there the mode is kept by lablib.sim.emulation.
On both, lablib first applies vCenter's EVC rules: a mode of the other CPU vendor
(`EVCModeIllegalByVendor`), a mode a host cannot support (`EVCModeUnsupportedByHosts`)
and a mode below the CPU features that powered-on VMs use (`ActiveVMsBlockingEVC`) are
refused. A VM keeps the baseline it was powered on with until a full power cycle;
raising the mode while VMs run is allowed.

    govc: no EVC command (read: govc object.collect -s CLUSTER summary.currentEVCModeKey)
    PowerCLI: Set-Cluster -Cluster C -EVCMode MODE; (Get-Cluster C).EVCMode
"""

from __future__ import annotations

from pyVmomi import vim

from .. import scope
from ..errors import EvcRefused, InputError, TaskFailed, quoted
from ..sim import emulation
from ..tasks import fault_text, wait
from . import capability
from .evc_modes import EvcCatalog, EvcModes, catalog
from .findings import make_fault

_RUNNING = ("poweredOn", "suspended")


def evc_modes(lab, cluster=None) -> EvcModes:
    """Return the EVC modes per vendor, the hosts that support each, and the cluster's mode.

    On vCenter the modes are `si.capability.supportedEVCMode`; on vcsim, lablib's static
    table (vsphere-facts.md §2), labelled as simulated.
    govc: none (vCenter only). PowerCLI: (Get-Cluster C).EVCMode, Get-VMHost | Select MaxEVCMode.
    """
    obj = lab.cluster(cluster)
    current, emulated = _current(lab, obj)
    snap = lab.facts.snapshot()
    facts = _cluster_facts(snap, obj)
    hosts = {h.name: h.max_evc for h in snap.hosts if h.name in facts.hosts}
    modes = catalog(lab.conn)
    return EvcModes(facts.name, current, modes, hosts, emulated or modes.emulated)


def evc_mode(lab, cluster=None) -> str:
    """Return the cluster's EVC mode key, "" when EVC is off.

    govc: govc object.collect -s CLUSTER summary.currentEVCModeKey (vCenter only).
    PowerCLI: (Get-Cluster C).EVCMode
    """
    return _current(lab, lab.cluster(cluster))[0]


def configure_evc(lab, mode: str, cluster=None) -> EvcModes:
    """Configure EVC on the cluster at `mode` (a key such as "intel-cascadelake").

    Raises:
        InputError: `mode` is not a known EVC mode (the message lists them).
        EvcRefused: vCenter's rules refuse the mode; `.fault` is EVCModeIllegalByVendor,
            EVCModeUnsupportedByHosts or ActiveVMsBlockingEVC, naming the hosts and VMs.

    govc: none (vCenter only). PowerCLI: Set-Cluster -Cluster C -EVCMode MODE -Confirm:$false
    """
    modes = catalog(lab.conn)
    key = _mode_argument(modes, mode, cluster)
    obj = lab.cluster(cluster)
    scope.check_change(lab, "configure EVC on", obj)
    snap = lab.facts.snapshot()
    facts = _cluster_facts(snap, obj)
    fault = refusal(key, modes, facts.name, [snap.host(n) for n in facts.hosts],
                    [v for v in snap.vms if v.host in facts.hosts], vm_baselines(lab, snap))
    if fault is not None:
        raise EvcRefused(fault.msg, fault)
    manager, _ = _manager(lab, obj)
    if manager is None:
        emulation.set_evc_mode(lab.conn, obj, key)
    else:
        _run(lab, lambda: manager.ConfigureEvcMode_Task(evcModeKey=key), f"EVC mode {key}")
    return evc_modes(lab, obj)


def disable_evc(lab, cluster=None) -> EvcModes:
    """Turn EVC off on the cluster; running VMs keep their CPU baseline.

    govc: none (vCenter only). PowerCLI: Set-Cluster -Cluster C -EVCMode $null -Confirm:$false
    """
    obj = lab.cluster(cluster)
    scope.check_change(lab, "disable EVC on", obj)
    manager, _ = _manager(lab, obj)
    if manager is None:
        emulation.set_evc_mode(lab.conn, obj, "")
    else:
        _run(lab, manager.DisableEvcMode_Task, "disabling EVC")
    return evc_modes(lab, obj)


def cpu_baseline(lab, vm) -> str:
    """Return the EVC mode whose CPU features the VM runs with ("" when powered off).

    A VM takes its baseline at power-on: the cluster's EVC mode, else every feature of
    its host; it keeps it until a full power-off/power-on (vsphere-facts.md §2).
    govc: govc object.collect -s VM runtime.minRequiredEVCModeKey (vCenter only).
    PowerCLI: (Get-VM V).ExtensionData.Runtime.MinRequiredEVCModeKey
    """
    obj = lab.vm(vm)
    snap = lab.facts.snapshot()
    facts = next(v for v in snap.vms if v.obj == obj)
    return vm_baselines(lab, snap)[facts.name]


def vm_baselines(lab, snapshot) -> dict[str, str]:
    """Return {VM name: CPU baseline it runs with}, "" for a powered-off VM.

    On vcsim the baselines are lablib's (power cycles made by govc are taken in, see
    lablib.sim.emulation.reconcile_baselines); on vCenter, `runtime.minRequiredEVCModeKey`,
    or the host's max EVC mode for a running VM outside an EVC cluster.
    """
    expected = {vm.obj._moId: power_on_baseline(snapshot, vm) for vm in snapshot.vms}
    if _baselines_emulated(lab, snapshot):
        held = emulation.reconcile_baselines(lab.conn, expected)
        return {vm.name: held.get(vm.obj._moId, "") for vm in snapshot.vms}
    return {vm.name: "" if vm.power_state == "poweredOff" else
            vm.cpu_baseline or expected[vm.obj._moId] for vm in snapshot.vms}


def power_on_baseline(snapshot, vm) -> str:
    """Return the baseline `vm` gets at power-on: the cluster's EVC mode, else its host's."""
    host = snapshot.host(vm.host)
    cluster = snapshot.cluster(host.cluster) if host else None
    return (cluster.evc_mode if cluster else "") or (host.max_evc if host else "")


def refusal(mode: str, modes: EvcCatalog, cluster: str, hosts, vms, baselines):
    """Return the fault vCenter raises for EVC `mode` on these hosts and VMs, or None."""
    wanted = modes.get(mode)
    other = sorted({h.cpu_vendor for h in hosts if h.cpu_vendor} - {wanted.vendor})
    if other:
        return make_fault(vim.fault.EVCModeIllegalByVendor,
            clusterCPUVendor=other[0], modeCPUVendor=wanted.vendor,
            msg=f"The EVC mode '{mode}' is for {wanted.vendor} CPUs, but the hosts of cluster "
                f"'{cluster}' have {other[0]} CPUs: EVC only levels CPUs of one vendor. "
                f"{other[0]} modes: {quoted(modes.keys(other[0]), limit=30)}.")
    unsupported = [h for h in hosts if not modes.contains(h.max_evc, mode)]
    if unsupported:
        tops = "; ".join(f"{h.name} supports up to {h.max_evc or 'no EVC mode'}"
                         for h in unsupported)
        usable = [k for k in modes.keys(wanted.vendor)
                  if all(modes.contains(h.max_evc, k) for h in hosts)]
        return make_fault(vim.fault.EVCModeUnsupportedByHosts,
            evcMode=mode, host=[h.obj for h in unsupported],
            hostName=[h.name for h in unsupported],
            msg=f"The EVC mode '{mode}' cannot be configured on cluster '{cluster}': the CPU "
                f"of host {quoted(h.name for h in unsupported)} cannot support it ({tops}). "
                f"Modes every host supports: {quoted(usable, limit=30)}.")
    blocking: dict[str, list[str]] = {}
    for vm in vms:
        baseline = baselines.get(vm.name, "")
        if vm.power_state in _RUNNING and baseline and not modes.contains(mode, baseline):
            blocking.setdefault(vm.host, []).append(f"{vm.name} ({baseline})")
    if blocking:
        names = sorted(blocking)
        detail = "; ".join(f"on {h}: {', '.join(blocking[h])}" for h in names)
        return make_fault(vim.fault.ActiveVMsBlockingEVC,
            evcMode=mode, host=[h.obj for h in hosts if h.name in blocking], hostName=names,
            msg=f"The EVC mode '{mode}' cannot be configured on cluster '{cluster}': host "
                f"{quoted(names)} has powered-on VMs using more CPU features than this mode "
                f"({detail}). Power these VMs off, configure EVC, then power them on again: "
                "a VM takes the EVC baseline at power-on (the course: the VMs must be "
                "rebooted to apply EVC).")
    return None


def _manager(lab, cluster):
    """Return (the cluster's EVCManager, False), or (None, True) on a server without one."""
    return capability.call(lab.conn, "EvcManager", cluster.EvcManager, lambda: None)


def _current(lab, cluster) -> tuple[str, bool]:
    manager, emulated = _manager(lab, cluster)
    if manager is None:
        return emulation.evc_mode(lab.conn, cluster), emulated
    return manager.evcState.currentEVCModeKey or "", emulated


def _baselines_emulated(lab, snapshot) -> bool:
    if snapshot.clusters:
        return _manager(lab, snapshot.clusters[0].obj)[1]
    return lab.backend == "vcsim"  # no cluster to ask; vcsim never sets the real property


def _cluster_facts(snapshot, obj):
    return next(c for c in snapshot.clusters if c.obj == obj)


def _mode_argument(modes: EvcCatalog, mode, cluster) -> str:
    if (isinstance(mode, str) and isinstance(cluster, str) and modes.get(mode.strip()) is None
            and modes.get(cluster.strip()) is not None):
        raise InputError(f"The EVC mode comes first: configure_evc(mode, cluster), e.g. "
                         f"lab.configure_evc('{cluster.strip()}', '{mode.strip()}').")
    return modes.require(mode)


def _run(lab, start, what: str) -> None:
    try:
        wait(lab.conn, start())
    except TaskFailed as failed:
        raise EvcRefused(f"vCenter refused {what}: {fault_text(failed.fault)}",
                         failed.fault) from None

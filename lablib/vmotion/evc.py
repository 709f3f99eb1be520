"""EVC on a cluster: its mode, configuring and disabling it, and the VMs' CPU baselines.

Through `cluster.EvcManager()`: `evcState`, `ConfigureEvcMode_Task`, `DisableEvcMode_Task`
(docs/vsphere-facts.md §2). The server decides: a mode of the other CPU vendor
(EVCModeIllegalByVendor), a mode a host cannot support (EVCModeUnsupportedByHosts) and a
mode below the CPU features powered-on VMs use (ActiveVMsBlockingEVC) are refused; lablib
explains the refusal in the course's words. A VM keeps the baseline it was powered on
with until a full power cycle; raising the mode while VMs run is allowed.

    govc: no EVC command (read: govc object.collect -s CLUSTER summary.currentEVCModeKey)
    PowerCLI: Set-Cluster -Cluster C -EVCMode MODE; (Get-Cluster C).EVCMode
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from ..errors import EvcRefused, InputError, TaskFailed, fault_text, quoted
from ..facts import ClusterFacts, Snapshot, VmFacts
from ..text import Text
from .evc_modes import EvcCatalog, EvcModes
from .findings import Finding, refusal_text

if TYPE_CHECKING:
    from ..session import Session


def evc_modes(session: Session, cluster: Any = None) -> EvcModes:
    """Return the EVC modes per vendor, the hosts that support each, and the cluster's mode.

    The modes are the server's (`si.capability.supportedEVCMode`).
    govc: govc object.collect -s - content.capability.supportedEVCMode (raw list).
    PowerCLI: (Get-Cluster C).EVCMode, Get-VMHost | Select MaxEVCMode.
    """
    obj = session.cluster(cluster)
    snap = session.facts.snapshot()
    facts = _cluster_facts(snap, obj)
    hosts = {h.name: h.max_evc for h in snap.hosts if h.name in facts.hosts}
    modes = session.backend.evc_catalog()
    return EvcModes(facts.name, facts.evc_mode, modes, hosts,
                    "evc_mode" in facts.simulated or modes.simulated)


def evc_mode(session: Session, cluster: Any = None) -> str:
    """Return the cluster's EVC mode key, "" when EVC is off.

    govc: govc object.collect -s CLUSTER summary.currentEVCModeKey
    PowerCLI: (Get-Cluster C).EVCMode
    """
    return _cluster_facts(session.facts.snapshot(), session.cluster(cluster)).evc_mode


def configure_evc(session: Session, mode: str, cluster: Any = None) -> EvcModes:
    """Configure EVC on the cluster at `mode` (a key such as "intel-cascadelake").

    Raises:
        InputError: `mode` is not a known EVC mode (the message lists them).
        EvcRefused: the server refuses the mode; `.fault` is EVCModeIllegalByVendor,
            EVCModeUnsupportedByHosts or ActiveVMsBlockingEVC, naming the hosts and VMs.

    govc: none. PowerCLI: Set-Cluster -Cluster C -EVCMode MODE -Confirm:$false
    """
    modes = session.backend.evc_catalog()
    key = _mode_argument(modes, mode, cluster)
    return _set(session, key, cluster)


def disable_evc(session: Session, cluster: Any = None) -> EvcModes:
    """Turn EVC off on the cluster; running VMs keep their CPU baseline.

    govc: none. PowerCLI: Set-Cluster -Cluster C -EVCMode $null -Confirm:$false
    """
    return _set(session, "", cluster)


def _set(session: Session, key: str, cluster: Any) -> EvcModes:
    obj = session.cluster(cluster)
    session.check_change("configure EVC on" if key else "disable EVC on", obj)
    snap = session.facts.snapshot()
    facts = _cluster_facts(snap, obj)
    if facts.evc_mode != key:
        try:
            session.backend.set_evc(facts, key, snap, session.backend.baselines(snap))
        except TaskFailed as failed:
            raise refusal(failed.fault, key, facts.name, session.backend.evc_catalog(),
                          bool(session.backend.simulated)) from None
    return evc_modes(session, obj)


def cpu_baseline(session: Session, vm: Any) -> str:
    """Return the EVC mode whose CPU features the VM runs with ("" when powered off).

    A VM takes its baseline at power-on: the cluster's EVC mode, else every feature of
    its host; it keeps it until a full power-off/power-on (docs/vsphere-facts.md §2).
    govc: govc object.collect -s VM runtime.minRequiredEVCModeKey
    PowerCLI: (Get-VM V).ExtensionData.Runtime.MinRequiredEVCModeKey
    """
    obj = session.vm(vm)
    snap = session.facts.snapshot()
    return session.backend.baselines(snap).get(snap.of(obj).name, "")


def power_on_baseline(snapshot: Snapshot, vm: VmFacts) -> str:
    """Return the baseline `vm` gets at power-on: the cluster's EVC mode, else its host's."""
    host = snapshot.host(vm.host)
    cluster = snapshot.cluster(host.cluster) if host else None
    return (cluster.evc_mode if cluster else "") or (host.max_evc if host else "")


def refusal(fault: Any, mode: str, cluster: str, catalog: EvcCatalog,
            simulated: bool) -> EvcRefused:
    """Return the EvcRefused error for the server's fault, explained in the course's words."""
    finding = Finding("evc", False, explain(fault, mode, cluster, catalog), fault=fault,
                      simulated=simulated)
    headline = Text("EVC mode {mode} refused on cluster {cluster}",
                    "Mode EVC {mode} refusé sur le cluster {cluster}", mode=mode,
                    cluster=cluster) if mode else \
        Text("Disabling EVC refused on cluster {cluster}",
             "Désactivation d'EVC refusée sur le cluster {cluster}", cluster=cluster)
    return EvcRefused(refusal_text(headline, [finding]), fault, [finding])


def explain(fault: Any, mode: str, cluster: str, catalog: EvcCatalog) -> Text:
    """Return what an EVC refusal means, in the course's words, with the fix."""
    hosts = quoted(getattr(fault, "hostName", None) or [])
    if isinstance(fault, vim.fault.EVCModeIllegalByVendor):
        vendor = getattr(fault, "clusterCPUVendor", "") or "?"
        return Text(
            "The EVC mode '{mode}' is for {mode_vendor} CPUs, but the hosts of cluster "
            "'{cluster}' have {vendor} CPUs: EVC only levels CPUs of one vendor. {vendor} "
            "modes: {modes}.",
            "Le mode EVC '{mode}' est pour des CPU {mode_vendor}, mais les hôtes du cluster "
            "'{cluster}' ont des CPU {vendor} : EVC n'aligne que des CPU d'un même fabricant. "
            "Modes {vendor} : {modes}.", mode=mode, cluster=cluster,
            mode_vendor=getattr(fault, "modeCPUVendor", "?"), vendor=vendor,
            modes=quoted(catalog.keys(vendor), limit=30))
    if isinstance(fault, vim.fault.EVCModeUnsupportedByHosts):
        return Text(
            "The EVC mode '{mode}' cannot be configured on cluster '{cluster}': the CPU of "
            "host {hosts} cannot support it. Choose a mode every host supports: "
            "lab.evc_modes().best.",
            "Le mode EVC '{mode}' ne peut pas être configuré sur le cluster '{cluster}' : le "
            "CPU de l'hôte {hosts} ne le prend pas en charge. Choisissez un mode accepté par "
            "tous les hôtes : lab.evc_modes().best.", mode=mode, cluster=cluster, hosts=hosts)
    if isinstance(fault, vim.fault.ActiveVMsBlockingEVC):
        return Text(
            "The EVC mode '{mode}' cannot be configured on cluster '{cluster}': host {hosts} "
            "has powered-on VMs using more CPU features than this mode. Power these VMs off, "
            "configure EVC, then power them on again: a VM takes the EVC baseline at power-on "
            "(the course: the VMs must be rebooted to apply EVC).",
            "Le mode EVC '{mode}' ne peut pas être configuré sur le cluster '{cluster}' : "
            "l'hôte {hosts} a des VM sous tension qui utilisent plus de fonctions CPU que ce "
            "mode. Éteignez ces VM, configurez EVC, puis rallumez-les : une VM prend la base "
            "EVC à sa mise sous tension (le cours : « Reboot nécessaire des VM pour appliquer "
            "l'EVC »).", mode=mode, cluster=cluster, hosts=hosts)
    if isinstance(fault, vim.fault.EVCConfigFault):
        return Text(
            "EVC cannot be changed on cluster '{cluster}' now ({fault}). Check that every host "
            "is connected, then try again.",
            "EVC ne peut pas être changé sur le cluster '{cluster}' maintenant ({fault}). "
            "Vérifiez que tous les hôtes sont connectés, puis réessayez.", cluster=cluster,
            fault=fault_text(fault))
    return Text("vCenter refused to change EVC on '{cluster}': {fault}",
                "vCenter a refusé de changer EVC sur '{cluster}' : {fault}", cluster=cluster,
                fault=fault_text(fault))


def _cluster_facts(snapshot: Snapshot, obj: Any) -> ClusterFacts:
    facts: ClusterFacts = snapshot.of(obj)
    return facts


def _mode_argument(modes: EvcCatalog, mode: Any, cluster: Any) -> str:
    if (isinstance(mode, str) and isinstance(cluster, str) and modes.get(mode.strip()) is None
            and modes.get(cluster.strip()) is not None):
        raise InputError(Text(
            "The EVC mode comes first: configure_evc(mode, cluster), e.g. "
            "lab.configure_evc('{mode}', '{cluster}').",
            "Le mode EVC vient en premier : configure_evc(mode, cluster), par exemple "
            "lab.configure_evc('{mode}', '{cluster}').", mode=cluster.strip(),
            cluster=mode.strip()))
    return modes.require(mode)

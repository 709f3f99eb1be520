"""vCenter's migration rules, applied by lablib before every migration (DESIGN.md §3.3).

Each rule reads plain facts (lablib.facts) about one planned move and returns Findings:
one that holds, or one per problem, carrying the pyVmomi fault vCenter raises for it
(vsphere-facts.md §1-§4) with a message in the course's words that names the host,
datastore or network at fault, the fix, and the course prerequisite it enforces
(seed/vmotion-course-notes.fr.md, "PRÉREQUIS vMotion"). No server is needed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyVmomi import vim

from ..errors import quoted
from ..facts import DatastoreFacts, HostFacts, Snapshot, VmFacts
from ..i18n import tr
from .evc_modes import EvcCatalog
from .findings import Finding, make_fault

#: Rule ids, in the order a precheck lists them, and the course prerequisite each enforces.
PREREQUISITES = {
    "power-state": ("vMotion migrates a running VM live, without interruption",
                    "vMotion migre une VM à chaud, sans interruption de service"),
    "destination": ("Migration: choose a destination host or datastore",
                    "Migration : choisir l'hôte ou le datastore de destination"),
    "host-state": ("At least two ESXi hosts; the destination connected and out of "
                   "maintenance mode", "Minimum 2 hôtes ESXi ; la destination connectée "
                   "et hors maintenance"),
    "vmotion-network": ("Network: a VMkernel port configured for vMotion on every ESXi host",
                        "Réseau : VMkernel port configuré pour vMotion sur chaque ESXi"),
    "shared-storage": ("Storage: a shared datastore visible to every ESXi host",
                       "Stockage : datastore partagé visible par tous les ESXi"),
    "target-datastore": ("Storage: the destination datastore visible to the destination host",
                         "Stockage : le datastore de destination visible par l'hôte de "
                         "destination"),
    "network": ("Network: identical networks on every ESXi host (same VLAN, MTU, ...)",
                "Réseau : réseaux identiques sur tous les ESXi (mêmes VLAN, MTU, etc.)"),
    "cpu": ("CPU: hardware compatibility (same vendor, ideally the same generation), or EVC "
            "on the cluster", "CPU : compatibilité matérielle (même fabricant, idéalement "
            "même génération), ou EVC activé sur le cluster"),
}
RULES = tuple(PREREQUISITES)
_KB_CPU = ("The CPU of the host is incompatible with the CPU feature requirements of the "
           "virtual machine; problem detected at CPUID level {level} register '{register}'.")


@dataclass(frozen=True)
class Move:
    """One planned migration, as the rules see it."""

    vm: VmFacts
    source: HostFacts
    destination: HostFacts                 # the source itself when the host does not change
    datastores: tuple[DatastoreFacts, ...]  # where the VM's files are now
    target: DatastoreFacts | None = None   # where every file and disk goes; None: they stay
    network: str | None = None             # the network every adapter moves to; None: same
    evc_mode: str = ""                     # the destination cluster's EVC mode, "" when off
    baseline: str = ""                     # the CPU features the VM runs with
    catalog: EvcCatalog | None = None
    requested: str = "compute"             # the kind the arguments asked for

    @property
    def host_changes(self) -> bool:
        """Tell whether the VM changes host."""
        return self.source.name != self.destination.name

    @property
    def datastore_changes(self) -> bool:
        """Tell whether a file of the VM changes datastore."""
        return self.target is not None and set(self.vm.datastores) != {self.target.name}

    @property
    def kind(self) -> str:
        """Return "compute", "storage" or "compute+storage"."""
        parts = [name for name, changes in (("compute", self.host_changes),
                                            ("storage", self.datastore_changes)) if changes]
        return "+".join(parts) or self.requested

    @property
    def live(self) -> bool:
        """Tell whether the VM runs, so the move is a live one (vMotion)."""
        return self.vm.power_state == "poweredOn"


def plan_move(snapshot: Snapshot, vm: VmFacts, destination: HostFacts | None = None,
              target: DatastoreFacts | None = None, network: str | None = None,
              baseline: str = "", catalog: EvcCatalog | None = None) -> Move:
    """Return the Move of `vm` to `destination` and/or `target` (None: it stays)."""
    source = snapshot.host(vm.host)
    dest = destination or source
    cluster = snapshot.cluster(dest.cluster)
    requested = "+".join(part for part, given in (("compute", destination is not None),
                                                  ("storage", target is not None)) if given)
    return Move(vm, source, dest,
                tuple(ds for ds in map(snapshot.datastore, vm.datastores) if ds is not None),
                target, network, cluster.evc_mode if cluster else "", baseline, catalog,
                requested or "compute")


def check(move: Move) -> list[Finding]:
    """Return the findings of every rule for `move`, in the order of RULES."""
    if not (move.host_changes or move.datastore_changes or move.network):
        return power_state(move) + nothing_to_do(move)
    return (power_state(move) + host_state(move) + vmotion_network(move) + vm_files(move)
            + target_datastore(move) + networks(move) + cpu(move))


def _holds(rule: str, en: str, fr: str, objects=(), emulated: bool = False) -> list[Finding]:
    return [Finding(rule, True, tr(en, fr), prerequisite=tr(*PREREQUISITES[rule]),
                    emulated=emulated, objects=tuple(objects),
                    english=(en, "", PREREQUISITES[rule][0]))]


def _refused(rule: str, fault, fr: str, fix: tuple[str, str], objects=(),
             emulated: bool = False) -> Finding:
    """Return a failed finding; `fault.msg` is the English message."""
    return Finding(rule, False, tr(fault.msg, fr), tr(*fix), tr(*PREREQUISITES[rule]), fault,
                   emulated, objects=tuple(objects),
                   english=(fault.msg, fix[0], PREREQUISITES[rule][0]))


def power_state(move: Move) -> list[Finding]:
    """Say which migration the VM's power state makes; refuse a state vCenter refuses."""
    vm, state = move.vm.name, move.vm.power_state
    if state == "poweredOn" and not move.host_changes:
        return _holds("power-state", f"'{vm}' is powered on: Storage vMotion copies its files "
                      "while it runs.", f"'{vm}' est sous tension : Storage vMotion copie ses "
                      "fichiers pendant qu'elle tourne.")
    if state == "poweredOn":
        return _holds("power-state", f"'{vm}' is powered on: a live migration (vMotion) copies "
                      "its memory and CPU state while it runs.", f"'{vm}' est sous tension : "
                      "migration à chaud (vMotion), sa mémoire et son état CPU sont copiés "
                      "pendant qu'elle tourne.")
    if state == "poweredOff":
        return _holds("power-state", f"'{vm}' is powered off: a cold migration, only its files "
                      "and registration move (no vMotion network, no CPU check).",
                      f"'{vm}' est hors tension : migration à froid, seuls ses fichiers et son "
                      "enregistrement changent (ni réseau vMotion, ni contrôle CPU).")
    if state == "suspended":
        return _holds("power-state", f"'{vm}' is suspended: a cold migration of its suspended "
                      "state; it resumes on the destination, so its CPU baseline must fit there.",
                      f"'{vm}' est suspendue : migration à froid de son état suspendu ; elle "
                      "reprendra sur la destination, dont le CPU doit convenir.")
    fault = make_fault(vim.fault.InvalidPowerState,
        msg=f"The attempted operation cannot be performed in the current state ({state}) "
            f"of '{vm}'.", existingState=state or None)
    return [_refused("power-state", fault, f"Opération impossible dans l'état actuel "
                     f"({state}) de '{vm}'.", ("Wait for the VM's current operation to end, "
                                              "then try again.", "Attendez la fin de "
                                              "l'opération en cours de la VM, puis réessayez."))]


def nothing_to_do(move: Move) -> list[Finding]:
    """Say that the VM is already where it would go."""
    vm, host, files = move.vm.name, move.source.name, ", ".join(move.vm.datastores)
    return _holds("destination", f"Nothing to do: '{vm}' already runs on {host} with its files "
                  f"on {files}.", f"Rien à faire : '{vm}' tourne déjà sur {host}, ses fichiers "
                  f"sur {files}.", (host,))


def host_state(move: Move) -> list[Finding]:
    """Refuse a destination host that is not connected or is in maintenance mode."""
    if not move.host_changes:
        return []
    dst = move.destination
    prefix = "The operation is not allowed in the current state of the host: "
    if dst.connection_state != "connected":
        fault = make_fault(vim.fault.InvalidHostState, host=dst.obj, msg=(
            f"{prefix}'{dst.name}' is {dst.connection_state or 'unreachable'}, not connected."))
        return [_refused("host-state", fault, f"Opération impossible dans l'état actuel de "
                         f"l'hôte : '{dst.name}' est {dst.connection_state}, pas connecté.", (
                             f"Reconnect {dst.name} (vSphere Client: right-click {dst.name} > "
                             "Connection > Connect) or choose another host.",
                             f"Reconnectez {dst.name} (vSphere Client : clic droit > Connexion "
                             "> Connecter) ou choisissez un autre hôte."), (dst.name,))]
    if dst.in_maintenance:
        fault = make_fault(vim.fault.InvalidHostState, host=dst.obj, msg=(
            f"{prefix}'{dst.name}' is in maintenance mode, so no VM may move to it."))
        return [_refused("host-state", fault, f"Opération impossible dans l'état actuel de "
                         f"l'hôte : '{dst.name}' est en mode maintenance, aucune VM ne peut "
                         "y aller.", (
                             f"Take {dst.name} out of maintenance mode "
                             f"(lab.exit_maintenance('{dst.name}')) or choose another host.",
                             f"Sortez {dst.name} du mode maintenance "
                             f"(lab.exit_maintenance('{dst.name}')) ou choisissez un autre "
                             "hôte."), (dst.name,))]
    return _holds("host-state", f"{dst.name} is connected and not in maintenance mode.",
                  f"{dst.name} est connecté et hors maintenance.", (dst.name,))


def vmotion_network(move: Move) -> list[Finding]:
    """Refuse a live migration unless both hosts have a vMotion VMkernel adapter (§1)."""
    src, dst = move.source, move.destination
    emulated = "vmotion_vmks" in (src.emulated | dst.emulated)
    if not move.host_changes:
        return _holds("vmotion-network", f"Not needed: the VM stays on {src.name}; Storage "
                      "vMotion does not use the vMotion network.", f"Inutile : la VM reste sur "
                      f"{src.name} ; Storage vMotion n'utilise pas le réseau vMotion.")
    if not move.live:
        return _holds("vmotion-network", "Not needed: a cold migration does not use the "
                      "vMotion network.", "Inutile : une migration à froid n'utilise pas le "
                      "réseau vMotion.")
    found = []
    for host, at_source in ((src, True), (dst, False)):
        if host.vmotion_vmks:
            continue
        side, side_fr = ("source", "source") if at_source else ("destination", "de destination")
        vmk = host.vmknics[0] if host.vmknics else "vmk0"
        fault = make_fault(vim.fault.VMotionNotConfigured,
            atSourceHost=at_source, failedHost=host.name, failedHostEntity=host.obj,
            msg=f"Unable to migrate from {src.name} to {dst.name}: The vMotion interface is "
                f"not configured (or is misconfigured) on the {side} host '{host.name}'.")
        found.append(_refused("vmotion-network", fault, (
            f"Migration impossible de {src.name} vers {dst.name} : aucun adaptateur VMkernel "
            f"n'a le service vMotion sur l'hôte {side_fr} '{host.name}'."), (
            f"Enable vMotion on a VMkernel adapter of {host.name}: lab.enable_vmotion("
            f"'{host.name}', '{vmk}') (vSphere Client: {host.name} > Configure > Networking > "
            f"VMkernel adapters > {vmk} > Edit > vMotion).",
            f"Activez vMotion sur un adaptateur VMkernel de {host.name} : lab.enable_vmotion("
            f"'{host.name}', '{vmk}') (vSphere Client : {host.name} > Réseau > VMkernel "
            f"adapters > {vmk} > Modifier > cocher vMotion)."), (host.name,), emulated))
    if found:
        return found
    en_list = f"{src.name} ({', '.join(src.vmotion_vmks)}) and {dst.name} " \
              f"({', '.join(dst.vmotion_vmks)})"
    return _holds("vmotion-network", f"vMotion is enabled on {en_list}.",
                  f"vMotion est activé sur {en_list.replace(' and ', ' et ')}.",
                  (src.name, dst.name), emulated)


def vm_files(move: Move) -> list[Finding]:
    """Refuse a compute-only move of a VM whose files the destination cannot reach (§4)."""
    vm, src, dst = move.vm, move.source, move.destination
    if not move.host_changes:
        return _holds("shared-storage", f"Not needed: the VM stays on {src.name}.",
                      f"Inutile : la VM reste sur {src.name}.")
    if move.target is not None:
        return _holds("shared-storage", f"The VM's files move to {move.target.name} with the "
                      "migration: no shared datastore is needed.", f"Les fichiers de la VM vont "
                      f"sur {move.target.name} pendant la migration : pas besoin de datastore "
                      "partagé.", (move.target.name,))
    config_ds = _config_datastore(vm)
    unreachable = [ds for ds in vm.datastores if ds not in dst.datastores]
    found = [_no_access(move, ds, ds == config_ds) for ds in unreachable]
    if found:
        return found
    where = ", ".join(vm.datastores)
    return _holds("shared-storage", f"{dst.name} mounts {where}, where the VM's files are "
                  "(shared storage).", f"{dst.name} monte {where}, où sont les fichiers de la "
                  "VM (stockage partagé).", (dst.name, *vm.datastores))


def _config_datastore(vm: VmFacts) -> str:
    """Return the datastore of the VM's configuration file (.vmx)."""
    named = vm.files[1:].split("]")[0] if vm.files.startswith("[") else ""
    return named if named in vm.datastores else (vm.datastores[0] if vm.datastores else "")


def _no_access(move: Move, ds: str, config: bool) -> Finding:
    vm, src, dst = move.vm, move.source, move.destination
    vmx = f"[{ds}]{vm.files.split(']', 1)[1]}" if "]" in vm.files else f"[{ds}] {vm.name}"
    if config:
        fault = make_fault(vim.fault.CannotAccessVmConfig, msg=(
            f"Unable to access the virtual machine configuration: Unable to access file "
            f"{vmx}. The datastore '{ds}' is not mounted on the destination host "
            f"'{dst.name}'; a compute-only migration needs the VM's files on a datastore both "
            "hosts share (KB 430766)."))
        fr = (f"Impossible d'accéder à la configuration de la machine virtuelle : fichier "
              f"{vmx} inaccessible. Le datastore '{ds}' n'est pas monté sur l'hôte de "
              f"destination '{dst.name}' ; changer seulement d'hôte exige que les fichiers de "
              "la VM soient sur un datastore partagé par les deux hôtes (KB 430766).")
    else:
        fault = make_fault(vim.fault.CannotAccessVmDisk, msg=(
            f"Unable to access a virtual disk of '{vm.name}' on datastore '{ds}': it is not "
            f"mounted on the destination host '{dst.name}' (KB 430766)."))
        fr = (f"Impossible d'accéder à un disque de '{vm.name}' sur le datastore '{ds}' : il "
              f"n'est pas monté sur l'hôte de destination '{dst.name}' (KB 430766).")
    shared = sorted(set(src.datastores) & set(dst.datastores))
    own = sorted(set(dst.datastores) - set(shared)) or sorted(dst.datastores)
    both = (f"lab.migrate('{vm.name}', host='{dst.name}', datastore='{own[0]}')"
            if own else "")
    first = f"lab.migrate('{vm.name}', datastore='{shared[0]}')" if shared else ""
    if first:
        fix = (f"Move its files to a datastore both hosts mount first (Storage vMotion: {first}), "
               f"then migrate it; or change both compute and storage: {both}.",
               f"Déplacez d'abord ses fichiers vers un datastore monté par les deux hôtes "
               f"(Storage vMotion : {first}), puis migrez-la ; ou changez à la fois l'hôte et "
               f"le stockage : {both}.")
    else:
        fix = (f"Change both compute and storage: {both}.",
               f"Changez à la fois l'hôte et le stockage : {both}.")
    return _refused("shared-storage", fault, fr, fix, (ds, dst.name))


def target_datastore(move: Move) -> list[Finding]:
    """Refuse a target datastore the destination host does not mount (§4)."""
    target, dst = move.target, move.destination
    if target is None:
        return []
    if target.name in dst.datastores:
        return _holds("target-datastore", f"{dst.name} mounts {target.name}, where the VM's "
                      "files go.", f"{dst.name} monte {target.name}, où vont les fichiers de "
                      "la VM.", (dst.name, target.name))
    fault = make_fault(vim.fault.DatastoreNotWritableOnHost,
        datastore=target.obj, name=target.name, host=dst.obj,
        msg=f"The datastore '{target.name}' is not writable on the host '{dst.name}': "
            f"{dst.name} does not mount it.")
    return [_refused("target-datastore", fault, (
        f"Le datastore '{target.name}' n'est pas accessible en écriture sur l'hôte "
        f"'{dst.name}' : {dst.name} ne le monte pas."), (
        f"Choose a datastore {dst.name} mounts: {quoted(dst.datastores)}.",
        f"Choisissez un datastore monté par {dst.name} : {quoted(dst.datastores)}."),
        (target.name, dst.name))]


def networks(move: Move) -> list[Finding]:
    """Refuse a destination without the networks the VM's adapters will use (§4)."""
    vm, dst = move.vm, move.destination
    if not (move.host_changes or move.network):
        return []
    needed = [move.network] if move.network else list(vm.networks)
    if not needed:
        return _holds("network", f"'{vm.name}' has no network adapter.",
                      f"'{vm.name}' n'a pas d'adaptateur réseau.")
    found = []
    for net in (n for n in needed if n not in dst.networks):
        if move.network:
            en = f"The network '{net}' chosen for '{vm.name}' is not accessible on the host " \
                 f"'{dst.name}'."
            fr = f"Le réseau '{net}' choisi pour '{vm.name}' n'est pas accessible sur l'hôte " \
                 f"'{dst.name}'."
        else:
            en = f"A network adapter of '{vm.name}' uses network '{net}', which is not " \
                 f"accessible on the destination host '{dst.name}'."
            fr = f"Un adaptateur réseau de '{vm.name}' utilise le réseau '{net}', qui n'est " \
                 f"pas accessible sur l'hôte de destination '{dst.name}'."
        found.append(_refused("network", make_fault(vim.fault.CannotAccessNetwork, msg=en), fr, (
            f"Choose a network {dst.name} has with network= ({quoted(dst.networks)}), or "
            f"create a port group named '{net}' on {dst.name}: networks must be identical on "
            "every host.", f"Choisissez un réseau de {dst.name} avec network= "
            f"({quoted(dst.networks)}), ou créez un groupe de ports '{net}' sur {dst.name} : "
            "les réseaux doivent être identiques sur tous les hôtes."), (net, dst.name)))
    if found:
        return found
    names = ", ".join(needed)
    return _holds("network", f"{dst.name} has the network(s) the VM uses: {names}.",
                  f"{dst.name} a le(s) réseau(x) de la VM : {names}.", (dst.name, *needed))


def cpu(move: Move) -> list[Finding]:
    """Refuse a running VM on a CPU without its vendor or its baseline's features (§2)."""
    vm, src, dst, catalog = move.vm, move.source, move.destination, move.catalog
    if not move.host_changes:
        return []
    emulated = bool({"cpu_vendor", "max_evc"} & (src.emulated | dst.emulated)) or \
        "cpu_baseline" in vm.emulated
    if vm.power_state == "poweredOff":
        return _holds("cpu", f"Not needed: '{vm.name}' is powered off; it gets the CPU "
                      "features of its new host when powered on.", f"Inutile : '{vm.name}' est "
                      "hors tension ; elle prendra les fonctions CPU de son nouvel hôte à la "
                      "mise sous tension.")
    head = f"Unable to migrate from {src.name} to {dst.name}: "
    head_fr = f"Migration impossible de {src.name} vers {dst.name} : "
    if src.cpu_vendor and dst.cpu_vendor and src.cpu_vendor != dst.cpu_vendor:
        fault = make_fault(vim.fault.CpuIncompatible, level=0, registerName="ebx",
                           host=dst.obj, msg=(
            head + _KB_CPU.format(level="0x0", register="ebx") + f" {src.name} has an "
            f"{src.cpu_vendor} CPU and {dst.name} an {dst.cpu_vendor} CPU: vMotion needs CPUs "
            "of the same vendor, and EVC cannot bridge vendors (KB 1003718)."))
        return [_refused("cpu", fault, head_fr + (
            f"{src.name} a un CPU {src.cpu_vendor} et {dst.name} un CPU {dst.cpu_vendor} : "
            "vMotion exige le même fabricant, et EVC ne peut pas les rapprocher (KB 1003718)."), (
            f"Choose a host with an {src.cpu_vendor} CPU, or power '{vm.name}' off and migrate "
            "it cold.", f"Choisissez un hôte à CPU {src.cpu_vendor}, ou éteignez '{vm.name}' "
            "et migrez-la à froid."), (dst.name,), emulated)]
    baseline, top = move.baseline, dst.max_evc
    if catalog is None or not baseline or not top:
        return _holds("cpu", f"lablib could not compare the CPUs (baseline "
                      f"'{baseline or '?'}', {dst.name} up to '{top or '?'}'); vCenter checks "
                      "them.", f"lablib n'a pas pu comparer les CPU (base '{baseline or '?'}', "
                      f"{dst.name} jusqu'à '{top or '?'}') ; vCenter les vérifie.",
                      (dst.name,), emulated)
    evc = f" (cluster EVC mode {move.evc_mode})" if move.evc_mode else ""
    evc_fr = f" (mode EVC du cluster {move.evc_mode})" if move.evc_mode else ""
    if catalog.contains(top, baseline):
        return _holds("cpu", f"'{vm.name}' runs with the CPU features of {baseline}; "
                      f"{dst.name} supports up to {top}{evc}.", f"'{vm.name}' tourne avec les "
                      f"fonctions CPU {baseline} ; {dst.name} va jusqu'à {top}{evc_fr}.",
                      (dst.name,), emulated)
    fault = make_fault(vim.fault.CpuIncompatible, level=1, registerName="ecx", host=dst.obj, msg=(
        head + _KB_CPU.format(level="0x1", register="ecx") + f" '{vm.name}' runs with the "
        f"CPU features of {baseline} (since it was powered on) and {dst.name} supports up to "
        f"{top} (KB 1003718)."))
    fr = head_fr + (f"le CPU de l'hôte n'a pas toutes les fonctions qu'utilise la machine "
                    f"virtuelle. '{vm.name}' tourne avec les fonctions {baseline} (depuis sa "
                    f"mise sous tension) et {dst.name} va jusqu'à {top} (KB 1003718).")
    if move.evc_mode and catalog.contains(top, move.evc_mode):
        fix = (f"EVC is {move.evc_mode} on the cluster, but '{vm.name}' keeps the baseline it "
               f"was powered on with: power it off and on again (lab.power_off('{vm.name}'), "
               f"lab.power_on('{vm.name}')) to take the EVC baseline.",
               f"EVC est en mode {move.evc_mode} sur le cluster, mais '{vm.name}' garde la "
               f"base de sa mise sous tension : éteignez-la puis rallumez-la "
               f"(lab.power_off('{vm.name}'), lab.power_on('{vm.name}')) ; « Reboot "
               "nécessaire des VM pour appliquer l'EVC ».")
    else:
        common = catalog.common([src.max_evc, top]) or top
        fix = (f"Enable EVC on the cluster at {common} so every host offers the same CPU "
               f"features: power the VMs off, lab.configure_evc('{common}'), then power them "
               f"on again; or migrate '{vm.name}' powered off.",
               f"Activez EVC sur le cluster en mode {common} pour que tous les hôtes offrent "
               f"les mêmes fonctions CPU : éteignez les VM, lab.configure_evc('{common}'), "
               f"puis rallumez-les ; ou migrez '{vm.name}' hors tension.")
    return [_refused("cpu", fault, fr, fix, (dst.name,), emulated)]

"""vCenter's migration rules as the course teaches them, and what each refusal means.

The server decides (docs/design.md §3): a migration's verdict is the faults the server
returns, from CheckRelocate_Task or from the task itself (on the public vcsim image,
lablib.fallback plays the server). This module explains that verdict in the course's
words: one Finding per rule, in the notebook's language, with the fix and the course
prerequisite it enforces (seed course notes, "PRÉREQUIS vMotion"). `RULES` is the one
mapping of fault type to rule; a rule with no fault holds, and says why from the facts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pyVmomi import vim

from ..errors import fault_text, quoted
from ..text import Text
from .findings import Finding

if TYPE_CHECKING:
    from ..backend import Verdict
    from .plan import Move


@dataclass(frozen=True)
class Rule:
    """One of vCenter's migration rules: the faults that break it and the course prerequisite."""

    id: str
    prerequisite: Text
    faults: tuple[type, ...]


#: The rules, in the order a precheck lists them.
RULES = (
    Rule("power-state", Text(
        "vMotion migrates a running VM live, without interruption",
        "vMotion migre une VM à chaud, sans interruption de service"),
        (vim.fault.InvalidPowerState, vim.fault.TaskInProgress)),
    Rule("destination", Text(
        "Migration: choose a destination host or datastore",
        "Migration : choisir l'hôte ou le datastore de destination"), ()),
    Rule("host-state", Text(
        "At least two ESXi hosts; the destination connected and out of maintenance mode",
        "Minimum 2 hôtes ESXi ; la destination connectée et hors maintenance"),
        (vim.fault.InvalidHostState,)),
    Rule("vmotion-network", Text(
        "Network: a VMkernel port configured for vMotion on every ESXi host",
        "Réseau : VMkernel port configuré pour vMotion sur chaque ESXi"),
        (vim.fault.VMotionInterfaceIssue,)),
    Rule("shared-storage", Text(
        "Storage: a shared datastore visible to every ESXi host",
        "Stockage : datastore partagé visible par tous les ESXi"),
        (vim.fault.CannotAccessVmConfig, vim.fault.CannotAccessVmDisk)),
    Rule("network", Text(
        "Network: identical networks on every ESXi host (same VLAN, MTU, ...)",
        "Réseau : réseaux identiques sur tous les ESXi (mêmes VLAN, MTU, etc.)"),
        (vim.fault.CannotAccessNetwork,)),
    Rule("devices", Text(
        "Storage: every file the VM uses (disks, ISO images) visible to every ESXi host",
        "Stockage : chaque fichier utilisé par la VM (disques, images ISO) visible par tous "
        "les ESXi"), (vim.fault.CannotAccessVmDevice,)),
    Rule("target-datastore", Text(
        "Storage: the destination datastore visible to the destination host",
        "Stockage : le datastore de destination visible par l'hôte de destination"),
        (vim.fault.InvalidDatastore,)),
    Rule("cpu", Text(
        "CPU: hardware compatibility (same vendor, ideally the same generation), or EVC on "
        "the cluster", "CPU : compatibilité matérielle (même fabricant, idéalement même "
        "génération), ou EVC activé sur le cluster"),
        (vim.fault.CpuIncompatible, vim.fault.FeatureRequirementsNotMet)),
    Rule("server", Text("vCenter's other checks", "Les autres vérifications de vCenter"), ()),
)
BY_ID = {rule.id: rule for rule in RULES}


def rule_of(fault: Any) -> Rule:
    """Return the rule a fault breaks (the first rule whose fault types it is)."""
    return next((rule for rule in RULES if rule.faults and isinstance(fault, rule.faults)),
                BY_ID["server"])


def findings(move: Move, verdict: Verdict, simulated: bool = False) -> list[Finding]:
    """Return one Finding per rule for `move`: the server's faults explained, the rest holding.

    Args:
        move: the planned migration, as facts.
        verdict: the server's errors and warnings for it.
        simulated: the verdict comes from lablib's fallback, not from the server.
    """
    if not move.changes:
        return [Finding(rule.id, True, text, prerequisite=rule.prerequisite, objects=objects)
                for rule in RULES if rule.id in ("power-state", "destination")
                for text, objects in _HOLDS[rule.id](move)]
    failed: dict[str, list[Any]] = {}
    for fault in verdict.errors:
        failed.setdefault(rule_of(fault).id, []).append(fault)
    found: list[Finding] = []
    for rule in RULES:
        faults = failed.get(rule.id, [])
        if faults:
            found += [_refused(rule, fault, move, simulated) for fault in faults]
        elif rule.id in _HOLDS:
            found += [Finding(rule.id, True, text, prerequisite=rule.prerequisite,
                              simulated=simulated, objects=objects)
                      for text, objects in _HOLDS[rule.id](move)]
    for fault in verdict.warnings:
        rule = rule_of(fault)
        found.append(Finding(rule.id, True, _explain(rule, fault, move)[0],
                             prerequisite=rule.prerequisite, fault=fault, warning=True,
                             simulated=simulated))
    return found


def _refused(rule: Rule, fault: Any, move: Move, simulated: bool) -> Finding:
    message, fix, objects = _explain(rule, fault, move)
    return Finding(rule.id, False, message, fix, rule.prerequisite, fault, simulated,
                   objects=objects)


def _explain(rule: Rule, fault: Any, move: Move) -> tuple[Text, Text, tuple[str, ...]]:
    """Return (what is wrong, the fix, the objects at fault) for a fault of `rule`."""
    explain = _EXPLAIN.get(rule.id)
    if explain is not None:
        explained = explain(fault, move)
        if explained is not None:
            return explained
    return (Text("vCenter refused it: {fault}.", "vCenter l'a refusé : {fault}.",
                 fault=fault_text(fault)),
            Text("Read vCenter's message, fix what it names, then try again.",
                 "Lisez le message de vCenter, corrigez ce qu'il nomme, puis réessayez."), ())


# What holds, from the facts (one (text, objects) per row)

Rows = list[tuple[Text, tuple[str, ...]]]


def _power_state(move: Move) -> Rows:
    vm, state = move.vm.name, move.vm.power_state
    if state == "poweredOn" and not move.host_changes:
        text = Text("'{vm}' is powered on: Storage vMotion copies its files while it runs.",
                    "'{vm}' est sous tension : Storage vMotion copie ses fichiers pendant "
                    "qu'elle tourne.", vm=vm)
    elif state == "poweredOn":
        text = Text("'{vm}' is powered on: a live migration (vMotion) copies its memory and "
                    "CPU state while it runs.", "'{vm}' est sous tension : migration à chaud "
                    "(vMotion), sa mémoire et son état CPU sont copiés pendant qu'elle tourne.",
                    vm=vm)
    elif state == "suspended":
        text = Text("'{vm}' is suspended: a cold migration of its suspended state; it resumes "
                    "on the destination, so its CPU baseline must fit there.",
                    "'{vm}' est suspendue : migration à froid de son état suspendu ; elle "
                    "reprendra sur la destination, dont le CPU doit convenir.", vm=vm)
    else:
        text = Text("'{vm}' is powered off: a cold migration, only its files and registration "
                    "move (no vMotion network, no CPU check).", "'{vm}' est hors tension : "
                    "migration à froid, seuls ses fichiers et son enregistrement changent (ni "
                    "réseau vMotion, ni contrôle CPU).", vm=vm)
    return [(text, ())]


def _destination(move: Move) -> Rows:
    if move.changes:
        return []
    host, files = move.source.name, ", ".join(move.vm.datastores)
    return [(Text("Nothing to do: '{vm}' already runs on {host} with its files on {files}.",
                  "Rien à faire : '{vm}' tourne déjà sur {host}, ses fichiers sur {files}.",
                  vm=move.vm.name, host=host, files=files), (host,))]


def _host_state(move: Move) -> Rows:
    if not move.host_changes:
        return []
    dst = move.destination.name
    return [(Text("{host} is connected and not in maintenance mode.",
                  "{host} est connecté et hors maintenance.", host=dst), (dst,))]


def _vmotion_network(move: Move) -> Rows:
    src, dst = move.source, move.destination
    if not move.host_changes:
        return [(Text("Not needed: the VM stays on {host}; Storage vMotion does not use the "
                      "vMotion network.", "Inutile : la VM reste sur {host} ; Storage vMotion "
                      "n'utilise pas le réseau vMotion.", host=src.name), ())]
    if not move.live:
        return [(Text("Not needed: a cold migration does not use the vMotion network.",
                      "Inutile : une migration à froid n'utilise pas le réseau vMotion."), ())]
    return [(Text("vMotion is enabled on {src} ({src_vmks}) and {dst} ({dst_vmks}).",
                  "vMotion est activé sur {src} ({src_vmks}) et {dst} ({dst_vmks}).",
                  src=src.name, dst=dst.name, src_vmks=", ".join(src.vmotion_vmks) or "?",
                  dst_vmks=", ".join(dst.vmotion_vmks) or "?"), (src.name, dst.name))]


def _shared_storage(move: Move) -> Rows:
    src, dst = move.source, move.destination
    if not move.host_changes:
        return [(Text("Not needed: the VM stays on {host}.", "Inutile : la VM reste sur {host}.",
                      host=src.name), ())]
    if move.target is not None:
        return [(Text("The VM's files move to {ds} with the migration: no shared datastore is "
                      "needed.", "Les fichiers de la VM vont sur {ds} pendant la migration : "
                      "pas besoin de datastore partagé.", ds=move.target.name),
                 (move.target.name,))]
    where = ", ".join(move.vm.datastores)
    return [(Text("{host} mounts {where}, where the VM's files are (shared storage).",
                  "{host} monte {where}, où sont les fichiers de la VM (stockage partagé).",
                  host=dst.name, where=where), (dst.name, *move.vm.datastores))]


def _network(move: Move) -> Rows:
    if not (move.host_changes or move.network):
        return []
    needed = [move.network] if move.network else list(move.vm.networks)
    if not needed:
        return [(Text("'{vm}' has no network adapter.", "'{vm}' n'a pas d'adaptateur réseau.",
                      vm=move.vm.name), ())]
    dst = move.destination.name
    return [(Text("{host} has the network(s) the VM uses: {names}.",
                  "{host} a le(s) réseau(x) de la VM : {names}.", host=dst,
                  names=", ".join(needed)), (dst, *needed))]


def _devices(move: Move) -> Rows:
    if not move.host_changes:
        return []
    return [(Text("{host} can reach every file the VM's devices use.",
                  "{host} accède à tous les fichiers qu'utilisent les périphériques de la VM.",
                  host=move.destination.name), (move.destination.name,))]


def _target_datastore(move: Move) -> Rows:
    if move.target is None:
        return []
    dst, ds = move.destination.name, move.target.name
    return [(Text("{host} mounts {ds}, where the VM's files go.",
                  "{host} monte {ds}, où vont les fichiers de la VM.", host=dst, ds=ds),
             (dst, ds))]


def _cpu(move: Move) -> Rows:
    vm, dst = move.vm, move.destination
    if not move.host_changes:
        return []
    if vm.power_state == "poweredOff":
        return [(Text("Not needed: '{vm}' is powered off; it gets the CPU features of its new "
                      "host when powered on.", "Inutile : '{vm}' est hors tension ; elle "
                      "prendra les fonctions CPU de son nouvel hôte à la mise sous tension.",
                      vm=vm.name), ())]
    evc = Text(" (cluster EVC mode {mode})", " (mode EVC du cluster {mode})",
               mode=move.evc_mode) if move.evc_mode else ""
    return [(Text("'{vm}' runs with the CPU features of {baseline}; {host} supports up to "
                  "{top}{evc}.", "'{vm}' tourne avec les fonctions CPU {baseline} ; {host} va "
                  "jusqu'à {top}{evc}.", vm=vm.name, baseline=move.baseline or "?",
                  host=dst.name, top=dst.max_evc or "?", evc=evc), (dst.name,))]


_HOLDS: dict[str, Callable[[Move], Rows]] = {
    "power-state": _power_state, "destination": _destination, "host-state": _host_state,
    "vmotion-network": _vmotion_network, "shared-storage": _shared_storage,
    "network": _network, "devices": _devices, "target-datastore": _target_datastore,
    "cpu": _cpu,
}


# What a fault means, in the course's words, with the fix

Explained = tuple[Text, Text, tuple[str, ...]] | None


def _explain_power(fault: Any, move: Move) -> Explained:
    vm = move.vm.name
    if isinstance(fault, vim.fault.TaskInProgress):
        return (Text("Another task is already running on '{vm}' (a migration started "
                     "elsewhere?).", "Une autre tâche est déjà en cours sur '{vm}' (une "
                     "migration lancée ailleurs ?).", vm=vm),
                Text("Wait for it to end (lab.tasks('{vm}')), then try again.",
                     "Attendez qu'elle se termine (lab.tasks('{vm}')), puis réessayez.", vm=vm),
                ())
    state = getattr(fault, "existingState", None) or move.vm.power_state
    return (Text("The operation is not possible in the current state ({state}) of '{vm}'.",
                 "Opération impossible dans l'état actuel ({state}) de '{vm}'.", state=state,
                 vm=vm),
            Text("Wait for the VM's current operation to end, then try again.",
                 "Attendez la fin de l'opération en cours de la VM, puis réessayez."), ())


def _explain_host_state(fault: Any, move: Move) -> Explained:
    dst = move.destination
    if dst.in_maintenance:
        return (Text("'{host}' is in maintenance mode, so no VM may move to it.",
                     "'{host}' est en mode maintenance, aucune VM ne peut y aller.",
                     host=dst.name),
                Text("Take {host} out of maintenance mode (lab.exit_maintenance('{host}')) "
                     "or choose another host.", "Sortez {host} du mode maintenance "
                     "(lab.exit_maintenance('{host}')) ou choisissez un autre hôte.",
                     host=dst.name), (dst.name,))
    state = dst.connection_state or "?"
    return (Text("vCenter shows '{host}' as {state}: no VM may move to it until it is "
                 "connected again.", "vCenter indique '{host}' comme {state} : aucune VM ne "
                 "peut y aller tant qu'il n'est pas reconnecté.", host=dst.name,
                 state=connection_state(state)),
            Text("Reconnect {host} (vSphere Client: right-click {host} > Connection > Connect; "
                 "govc host.reconnect {host}; pyVmomi host.ReconnectHost_Task()) or choose "
                 "another host.", "Reconnectez {host} (vSphere Client : clic droit sur {host} > "
                 "Connexion > Connecter ; govc host.reconnect {host} ; pyVmomi "
                 "host.ReconnectHost_Task()) ou choisissez un autre hôte.",
                 host=dst.name), (dst.name,))


def _explain_vmotion(fault: Any, move: Move) -> Explained:
    src, dst = move.source, move.destination
    at_source = bool(getattr(fault, "atSourceHost", False))
    host = src if at_source else dst
    failed = getattr(fault, "failedHost", None)
    if failed and failed in (src.name, dst.name):
        host = src if failed == src.name else dst
    vmk = host.vmknics[0] if host.vmknics else "vmk0"
    side = Text("source", "source") if host is src else Text("destination", "de destination")
    return (Text("No VMkernel adapter of the {side} host '{host}' has the vMotion service.",
                 "Aucun adaptateur VMkernel de l'hôte {side} '{host}' n'a le service vMotion.",
                 side=side, host=host.name),
            Text("Enable vMotion on a VMkernel adapter of {host}: lab.enable_vmotion('{host}', "
                 "'{vmk}') (vSphere Client: {host} > Configure > Networking > VMkernel "
                 "adapters > {vmk} > Edit > vMotion).",
                 "Activez vMotion sur un adaptateur VMkernel de l'hôte {host} : "
                 "lab.enable_vmotion('{host}', '{vmk}') (vSphere Client : {host} > Configurer "
                 "> Réseau > Adaptateurs VMkernel > {vmk} > Modifier > cocher vMotion).",
                 host=host.name, vmk=vmk), (host.name,))


def _explain_storage(fault: Any, move: Move) -> Explained:
    vm, src, dst = move.vm, move.source, move.destination
    unreachable = [ds for ds in vm.datastores if ds not in dst.datastores] or list(vm.datastores)
    ds = unreachable[0] if unreachable else "?"
    if isinstance(fault, vim.fault.CannotAccessVmConfig):
        message = Text("The VM's configuration file is on datastore '{ds}', which the "
                       "destination host '{host}' does not mount: a compute-only migration "
                       "needs the VM's files on a datastore both hosts share (KB 430766).",
                       "Le fichier de configuration de la VM est sur le datastore '{ds}', que "
                       "l'hôte de destination '{host}' ne monte pas : changer seulement d'hôte "
                       "exige que les fichiers de la VM soient sur un datastore partagé par "
                       "les deux hôtes (KB 430766).", ds=ds, host=dst.name)
    else:
        message = Text("A virtual disk of '{vm}' is on datastore '{ds}', which the destination "
                       "host '{host}' does not mount (KB 430766).", "Un disque de '{vm}' est "
                       "sur le datastore '{ds}', que l'hôte de destination '{host}' ne monte "
                       "pas (KB 430766).", vm=vm.name, ds=ds, host=dst.name)
    shared = sorted(set(src.datastores) & set(dst.datastores))
    own = sorted(set(dst.datastores) - set(shared)) or sorted(dst.datastores)
    both = f"lab.migrate('{vm.name}', host='{dst.name}', datastore='{own[0]}')" if own else ""
    if shared:
        first = f"lab.migrate('{vm.name}', datastore='{shared[0]}')"
        fix = Text("Move its files to a datastore both hosts mount first (Storage vMotion: "
                   "{first}), then migrate it; or, if it may live on {host}'s own storage "
                   "from now on (it could not come back), change both compute and storage: "
                   "{both}.",
                   "Déplacez d'abord ses fichiers vers un datastore monté par les deux hôtes "
                   "(Storage vMotion : {first}), puis migrez-la ; ou, si elle peut vivre "
                   "désormais sur le stockage propre de {host} (elle ne pourrait pas "
                   "revenir), changez à la fois l'hôte et le stockage : {both}.",
                   first=first, both=both, host=dst.name)
    else:
        fix = Text("Change both compute and storage: {both}.",
                   "Changez à la fois l'hôte et le stockage : {both}.", both=both)
    return message, fix, (ds, dst.name)


def _explain_network(fault: Any, move: Move) -> Explained:
    vm, dst = move.vm, move.destination
    missing = [n for n in ([move.network] if move.network else vm.networks)
               if n and n not in dst.networks]
    net = missing[0] if missing else _fault_object_name(getattr(fault, "network", None)) or "?"
    if move.network:
        message = Text("The network '{net}' chosen for '{vm}' is not available on '{host}'.",
                       "Le réseau '{net}' choisi pour '{vm}' n'est pas disponible sur "
                       "'{host}'.", net=net, vm=vm.name, host=dst.name)
    else:
        message = Text("A network adapter of '{vm}' uses network '{net}', which the destination "
                       "host '{host}' does not have.", "Un adaptateur réseau de '{vm}' utilise "
                       "le réseau '{net}', que l'hôte de destination '{host}' n'a pas.",
                       vm=vm.name, net=net, host=dst.name)
    fix = Text("Create a port group named '{net}' on {host}, like the source's (govc "
               "host.portgroup.add -host {host} -vswitch vSwitch0 '{net}'; pyVmomi "
               "HostNetworkSystem.AddPortGroup): networks must be identical on every host.",
               "Créez un groupe de ports '{net}' sur {host}, comme celui de la source (govc "
               "host.portgroup.add -host {host} -vswitch vSwitch0 '{net}' ; pyVmomi "
               "HostNetworkSystem.AddPortGroup) : les réseaux doivent être identiques sur "
               "tous les hôtes.", host=dst.name, net=net)
    if dst.networks:
        fix = Text("{fix} Or, if the VM should use another network, choose one {host} has "
                   "with network= ({nets}).", "{fix} Ou, si la VM doit utiliser un autre "
                   "réseau, choisissez-en un de {host} avec network= ({nets}).", fix=fix,
                   host=dst.name, nets=quoted(dst.networks))
    return message, fix, (net, dst.name)


def _explain_device(fault: Any, move: Move) -> Explained:
    vm, dst = move.vm, move.destination
    device = getattr(fault, "device", None) or Text("a device", "un périphérique")
    backing = getattr(fault, "backing", None) or "?"
    return (Text("The {device} of '{vm}' uses {backing}, which the destination host '{host}' "
                 "cannot reach.", "Le périphérique {device} de '{vm}' utilise {backing}, que "
                 "l'hôte de destination '{host}' ne peut pas atteindre.", device=device,
                 vm=vm.name, backing=backing, host=dst.name),
            Text("Disconnect the {device} while the VM runs (vSphere Client: Edit Settings > "
                 "{device} > uncheck Connected and Connect At Power On; govc "
                 "device.disconnect; pyVmomi ReconfigVM_Task with connectable.connected=False), "
                 "or point it at a datastore both hosts mount, then migrate: a disconnected "
                 "drive is only a warning.", "Déconnectez {device} pendant que la VM tourne "
                 "(vSphere Client : Modifier les paramètres > {device} > décocher Connecté et "
                 "Connecter lors de la mise sous tension ; govc device.disconnect ; pyVmomi "
                 "ReconfigVM_Task avec connectable.connected=False), ou pointez-le vers un "
                 "datastore monté par les deux hôtes, puis migrez : un lecteur déconnecté "
                 "n'est qu'un avertissement.", device=device), (dst.name,))


def _explain_target(fault: Any, move: Move) -> Explained:
    dst = move.destination
    ds = move.target.name if move.target else getattr(fault, "name", "?")
    return (Text("The datastore '{ds}' is not writable on the host '{host}': {host} does not "
                 "mount it.", "Le datastore '{ds}' n'est pas accessible en écriture sur l'hôte "
                 "'{host}' : {host} ne le monte pas.", ds=ds, host=dst.name),
            Text("Choose a datastore {host} mounts: {names}.",
                 "Choisissez un datastore monté par {host} : {names}.", host=dst.name,
                 names=quoted(dst.datastores)), (ds, dst.name))


def _explain_cpu(fault: Any, move: Move) -> Explained:
    vm, src, dst = move.vm, move.source, move.destination
    if src.cpu_vendor and dst.cpu_vendor and src.cpu_vendor != dst.cpu_vendor:
        return (Text("{src} has an {src_vendor} CPU and {dst} an {dst_vendor} CPU: vMotion "
                     "needs CPUs of the same vendor, and EVC cannot bridge vendors "
                     "(KB 1003718).", "{src} a un CPU {src_vendor} et {dst} un CPU "
                     "{dst_vendor} : vMotion exige le même fabricant, et EVC ne peut pas les "
                     "rapprocher (KB 1003718).", src=src.name, dst=dst.name,
                     src_vendor=src.cpu_vendor, dst_vendor=dst.cpu_vendor),
                Text("Choose a host with an {vendor} CPU, or power '{vm}' off and migrate it "
                     "cold.", "Choisissez un hôte à CPU {vendor}, ou éteignez '{vm}' et "
                     "migrez-la à froid.", vendor=src.cpu_vendor, vm=vm.name), (dst.name,))
    message = Text("The CPU of {host} lacks features '{vm}' uses: it runs with the CPU "
                   "features of {baseline} (since it was powered on) and {host} supports up to "
                   "{top} (KB 1003718).", "Le CPU de l'hôte {host} n'a pas toutes les fonctions "
                   "qu'utilise '{vm}' : elle tourne avec les fonctions {baseline} (depuis sa "
                   "mise sous tension) et {host} va jusqu'à {top} (KB 1003718).",
                   host=dst.name, vm=vm.name, baseline=move.baseline or "?",
                   top=dst.max_evc or "?")
    catalog = move.catalog
    if move.evc_mode and catalog is not None and catalog.contains(dst.max_evc, move.evc_mode):
        fix = Text("EVC is {mode} on the cluster, but '{vm}' keeps the baseline it was powered "
                   "on with: power it off and on again (lab.power_off('{vm}'), "
                   "lab.power_on('{vm}')) to take the EVC baseline.",
                   "EVC est en mode {mode} sur le cluster, mais '{vm}' garde la base de sa mise "
                   "sous tension : éteignez-la puis rallumez-la (lab.power_off('{vm}'), "
                   "lab.power_on('{vm}')) ; « Reboot nécessaire des VM pour appliquer "
                   "l'EVC ».", mode=move.evc_mode, vm=vm.name)
    else:
        common = (catalog.common([src.max_evc, dst.max_evc]) if catalog else "") or dst.max_evc
        fix = Text("Enable EVC on the cluster at {mode} so every host offers the same CPU "
                   "features: power '{vm}' off (and any other VM the EVC refusal names), "
                   "lab.configure_evc('{mode}'), then power it on again. (Migrating '{vm}' "
                   "powered off also moves it, but leaves the cluster without EVC.)",
                   "Activez EVC sur le cluster en mode {mode} pour que tous les hôtes offrent "
                   "les mêmes fonctions CPU : éteignez '{vm}' (et toute autre VM que le refus "
                   "d'EVC nomme), lab.configure_evc('{mode}'), puis rallumez-la. (Migrer "
                   "'{vm}' hors tension la déplace aussi, mais laisse le cluster sans EVC.)",
                   mode=common, vm=vm.name)
    return message, fix, (dst.name,)


_EXPLAIN: dict[str, Callable[[Any, Move], Explained]] = {
    "power-state": _explain_power, "host-state": _explain_host_state,
    "vmotion-network": _explain_vmotion, "shared-storage": _explain_storage,
    "network": _explain_network, "devices": _explain_device,
    "target-datastore": _explain_target, "cpu": _explain_cpu,
}


def connection_state(state: str) -> Text:
    """Return a host's connection state as the vSphere Client writes it."""
    return {"connected": Text("connected", "connecté"),
            "disconnected": Text("disconnected", "déconnecté"),
            "notResponding": Text("not responding", "ne répond pas")}.get(state, Text(state))


def _fault_object_name(obj: Any) -> str:
    try:
        return obj.name if obj is not None else ""
    except Exception:
        return ""


def refusal_order(found: Sequence[Finding]) -> list[Finding]:
    """Return the failed findings in the order of RULES."""
    order = {rule.id: n for n, rule in enumerate(RULES)}
    return sorted((f for f in found if not f.ok), key=lambda f: order.get(f.rule, len(order)))

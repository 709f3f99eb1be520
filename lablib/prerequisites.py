"""The course's vMotion prerequisites, checked live: one row per prerequisite.

The rows follow the course's table ("PRÉREQUIS vMotion", the seed course notes): hosts,
CPU, vCenter, static IPs, identical networks, a VMkernel port with vMotion, a shared
datastore and EVC. The rows that are migration rules are a view over the server's
verdict on the VM's migration (the precheck's findings, lablib.vmotion.rules); the
others read the inventory. Each row says what the lab found, whether it holds for the
VM to migrate, and the fix (with the lab that teaches it).

    from lablib.prerequisites import prerequisites
    prerequisites(lab)                       # for the VM to migrate, source -> destination
    prerequisites(lab, vm="vm-local")        # for another VM
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .facts import HostFacts, Snapshot, VmFacts
from .table import Table
from .text import Text
from .vmotion.display import FAIL, OK, simulated_note
from .vmotion.findings import Finding, Precheck
from .vmotion.migrate import precheck

if TYPE_CHECKING:
    from .lab import Lab

#: The rows, in the course's order; the key is what exercises name.
KEYS = ("hosts", "cpu", "vcenter", "static_ip", "networks", "vmotion_vmk",
        "shared_datastore", "evc")


@dataclass(frozen=True)
class Prerequisite:
    """One checked prerequisite: the course's words, what was found, the fix."""

    key: str
    title: Text
    ok: bool
    found: Text | str
    fix: Text | str = ""
    simulated: bool = False


@dataclass
class Prerequisites:
    """The prerequisites table for one VM moving from a source to a destination host."""

    vm: str
    source: str
    destination: str
    rows: list[Prerequisite] = field(default_factory=list)
    simulated: bool = False

    @property
    def ok(self) -> bool:
        """Tell whether every prerequisite holds."""
        return all(row.ok for row in self.rows)

    @property
    def failing(self) -> list[str]:
        """Return the keys of the prerequisites that do not hold, in the course's order."""
        return [row.key for row in self.rows if not row.ok]

    def row(self, key: str) -> Prerequisite:
        """Return the row with `key`."""
        return next(row for row in self.rows if row.key == key)

    def table(self) -> Table:
        """Return the rows as a Table (text and HTML)."""
        title = Text("vMotion prerequisites for {vm}: {src} → {dst}",
                     "Prérequis vMotion pour {vm} : {src} → {dst}", vm=self.vm,
                     src=self.source, dst=self.destination)
        columns = [Text("key", "clé"), Text("prerequisite (course)", "prérequis (cours)"),
                   Text("status", "état"), Text("found", "constaté"),
                   Text("fix", "correction")]
        rows = [[row.key, row.title, OK if row.ok else FAIL,
                 row.found + ("*" if row.simulated else ""), "—" if row.ok else row.fix]
                for row in self.rows]
        notes: list[Any] = [simulated_note()] if self.simulated else []
        verdict = Text("All prerequisites hold.", "Tous les prérequis sont remplis.") \
            if self.ok else Text("Not met: {keys}.", "Non remplis : {keys}.",
                                 keys=", ".join(self.failing))
        return Table(title, columns, rows, [*notes, verdict])

    def __str__(self) -> str:
        return str(self.table())

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        return self.table()._repr_html_()   # the table marks ✘ in bold red


def prerequisites(lab: Lab, vm: Any = None, destination: Any = None) -> Prerequisites:
    """Check the course's prerequisites live for migrating `vm` to `destination`.

    Args:
        lab: a connected Lab.
        vm: the VM to migrate (name or object); the lab's VM to migrate by default.
        destination: the destination host; the lab's destination host by default (or the
            source host when the VM already runs on the destination).

    Returns:
        A Prerequisites table: `.rows`, `.failing` (keys), `.ok`.
    """
    session = lab.session
    roles = session.roles
    snap = session.facts.snapshot()
    vm_obj = session.vm(vm if vm is not None else roles.vm)
    vm_facts = snap.of(vm_obj)
    cluster = snap.cluster(roles.cluster)
    hosts = [h for h in snap.hosts if cluster is None or h.name in cluster.hosts]
    source = snap.host(vm_facts.host)
    dest_name = destination if isinstance(destination, str) else \
        getattr(destination, "name", None)
    if dest_name is None:
        dest_name = roles.destination_host if vm_facts.host != roles.destination_host \
            else roles.source_host
    dest_obj = session.host(dest_name)  # raises NotFoundError with the close names
    dest = snap.of(dest_obj)
    checked = precheck(session, vm_obj, host=dest.obj) if dest.name != vm_facts.host else None
    simulated = bool(session.backend.simulated)
    report = Prerequisites(vm_facts.name, vm_facts.host, dest.name, simulated=simulated)
    pair = [h for h in (source, dest) if h is not None]
    report.rows = [
        _hosts(hosts, cluster.name if cluster else ""),
        _cpu(hosts, _failed(checked, "cpu")),
        _vcenter(lab),
        _static_ip(hosts),
        _from(checked, "networks", ("network",), _networks_found(vm_facts, pair),
              lambda failed: Text(
                  "create the same port group (same name and VLAN) on every host",
                  "créez le même groupe de ports (même nom, même VLAN) sur chaque hôte")),
        _from(checked, "vmotion_vmk", ("vmotion-network",), _vmotion_found(pair),
              lambda failed: _enable_fix([o for f in failed for o in f.objects])),
        _from(checked, "shared_datastore", ("shared-storage", "devices"),
              _storage_found(snap, vm_facts, pair),
              lambda failed: _storage_fix(snap, vm_facts, pair)),
        _evc(snap, cluster.name if cluster else roles.cluster, hosts, vm_facts, checked,
             session.backend.baselines(snap).get(vm_facts.name, "")),
    ]
    return report


TITLES = {
    "hosts": Text("At least 2 ESXi hosts", "Minimum 2 hôtes ESXi"),
    "cpu": Text("CPU: same vendor, ideally same generation",
                "CPU : même fabricant, idéalement même génération"),
    "vcenter": Text("1 vCenter with a vMotion licence",
                    "1 instance vCenter avec licence adéquate"),
    "static_ip": Text("Static IP address on every ESXi host",
                      "Adresse IP statique sur tous les ESXi"),
    "networks": Text("Identical networks (same VLAN, MTU...)",
                     "Réseaux identiques (mêmes VLAN, MTU, etc.)"),
    "vmotion_vmk": Text("VMkernel port with vMotion on every host",
                        "VMkernel port configuré pour vMotion"),
    "shared_datastore": Text("Shared datastore visible from every ESXi host",
                             "Datastore partagé visible par tous les ESXi"),
    "evc": Text("EVC enabled on the cluster", "Activation de l'option EVC dans le Cluster"),
}


def _failed(checked: Precheck | None, *rules: str) -> list[Finding]:
    return [f for f in checked or [] if not f.ok and f.rule in rules]


def _from(checked: Precheck | None, key: str, rules: tuple[str, ...], found: Text,
          fix: Callable[[list[Finding]], Text]) -> Prerequisite:
    """Return the row of migration rules: what the server's verdict says about them."""
    failed = _failed(checked, *rules)
    return Prerequisite(key, TITLES[key], not failed, found, fix(failed) if failed else "",
                        any(f.simulated for f in checked or [] if f.rule in rules))


def _names(hosts: list[HostFacts]) -> str:
    return ", ".join(h.name for h in hosts)


def _hosts(hosts: list[HostFacts], cluster: str) -> Prerequisite:
    usable = [h for h in hosts if h.connection_state == "connected" and not h.in_maintenance]
    where = cluster or Text("the datacenter", "le datacenter")
    found = Text("{count} usable host(s) in {where}: {names}",
                 "{count} hôte(s) utilisable(s) dans {where} : {names}", count=len(usable),
                 where=where, names=_names(usable) or Text("none", "aucun"))
    return Prerequisite(
        "hosts", TITLES["hosts"], len(usable) >= 2, found,
        Text("add a second ESXi host to the cluster, or take one out of maintenance mode",
             "ajoutez un second hôte ESXi au cluster, ou sortez-en un du mode maintenance"))


def _cpu(hosts: list[HostFacts], failed: list[Finding]) -> Prerequisite:
    vendors = sorted({h.cpu_vendor for h in hosts})
    generations = sorted({h.max_evc for h in hosts})
    parts: list[Any] = [Text("vendor {vendors}", "fabricant {vendors}",
                             vendors=", ".join(vendors))]
    if len(generations) > 1:
        parts.append(Text("; generations differ ({hosts}): see EVC",
                          " ; générations différentes ({hosts}) : voir EVC",
                          hosts=", ".join(f"{h.name} {h.max_evc}" for h in hosts)))
    other_vendor = len(vendors) > 1 or any(
        f.fault is not None and getattr(f.fault, "level", None) == 0 for f in failed)
    return Prerequisite(
        "cpu", TITLES["cpu"], not other_vendor, Text.join("", parts),
        Text("vMotion never crosses Intel and AMD, even with EVC: one vendor per cluster",
             "vMotion ne passe jamais d'Intel à AMD, même avec EVC : un fabricant par cluster"),
        simulated=any("cpu_vendor" in h.simulated for h in hosts))


def _vcenter(lab: Lab) -> Prerequisite:
    about = lab.conn.about
    return Prerequisite(
        "vcenter", TITLES["vcenter"], about.apiType == "VirtualCenter",
        Text("{name} (licence not checked here)", "{name} (licence non vérifiée ici)",
             name=about.fullName),
        Text("manage the hosts from a vCenter: vMotion is a vCenter feature",
             "gérez les hôtes depuis un vCenter : vMotion est une fonction de vCenter"))


def _static_ip(hosts: list[HostFacts]) -> Prerequisite:
    ips = [h.mgmt_ip for h in hosts]
    ok = all(ips) and len(set(ips)) == len(ips)
    found = ", ".join(f"{h.name} {h.mgmt_ip or '?'}" for h in hosts)
    return Prerequisite(
        "static_ip", TITLES["static_ip"], ok, found,
        Text("give vmk0 a fixed, distinct address on each host",
             "donnez à vmk0 une adresse fixe et distincte sur chaque hôte"),
        simulated=any("mgmt_ip" in h.simulated for h in hosts))


def _networks_found(vm: VmFacts, pair: list[HostFacts]) -> Text:
    missing = [(net, h.name) for net in vm.networks for h in pair if net not in h.networks]
    uses = Text("{vm} uses {nets}; ", "{vm} utilise {nets} ; ", vm=vm.name,
                nets=", ".join(vm.networks) or Text("no network", "aucun réseau"))
    if missing:
        return uses + Text("missing on {where}", "absent sur {where}",
                           where=", ".join(f"{h} ({n})" for n, h in missing))
    return uses + Text("present on {hosts}", "présent sur {hosts}", hosts=_names(pair))


def _enable_fix(hosts: list[str]) -> Text:
    names = ", ".join(dict.fromkeys(hosts))
    return Text("enable vMotion on vmk0 of {hosts} (lab 03)",
                "activez vMotion sur vmk0 de l'hôte {hosts} (lab 03)" if len(set(hosts)) == 1
                else "activez vMotion sur vmk0 des hôtes {hosts} (lab 03)", hosts=names)


def _vmotion_found(pair: list[HostFacts]) -> Text:
    return Text.join(Text("; ", " ; "), [
        Text("{host}: {vmks}", "{host} : {vmks}", host=h.name,
             vmks=", ".join(h.vmotion_vmks) or Text("none", "aucun")) for h in pair])


def _storage_fix(snap: Snapshot, vm: VmFacts, pair: list[HostFacts]) -> Text:
    names = {h.name for h in pair}
    shared = [d.name for d in snap.datastores if names <= set(d.hosts)]
    if not shared:
        return Text("mount one datastore on every host",
                    "montez une banque de données sur tous les hôtes")
    return Text("move {vm}'s files to {ds} first (Storage vMotion, lab 06)",
                "déplacez d'abord les fichiers de {vm} vers {ds} (Storage vMotion, lab 06)",
                vm=vm.name, ds=shared[0])


def _storage_found(snap: Snapshot, vm: VmFacts, pair: list[HostFacts]) -> Text:
    names = {h.name for h in pair}
    shared = [d.name for d in snap.datastores if names <= set(d.hosts)]
    files = ", ".join(f"{ds.name} ({', '.join(ds.hosts)})"
                      for ds in map(snap.datastore, vm.datastores) if ds is not None)
    return Text("shared: {shared}; {vm}'s files on {files}",
                "partagée(s) : {shared} ; fichiers de {vm} sur {files}",
                shared=", ".join(shared) or Text("none", "aucune"), vm=vm.name, files=files)


def _evc(snap: Snapshot, cluster: str, hosts: list[HostFacts], vm: VmFacts,
         checked: Precheck | None, baseline: str) -> Prerequisite:
    facts = snap.cluster(cluster)
    mode = facts.evc_mode if facts else ""
    simulated = bool(facts and "evc_mode" in facts.simulated)
    found = Text("EVC {mode}", mode=mode) if mode else Text("EVC off", "EVC désactivé")
    found += Text("; {vm} runs with {baseline} features", "; {vm} tourne avec les fonctions "
                  "{baseline}", vm=vm.name, baseline=baseline) if baseline else \
        Text("; {vm} is powered off", "; {vm} est éteinte", vm=vm.name)
    failed = [f for f in _failed(checked, "cpu")
              if getattr(f.fault, "level", None) != 0]  # another vendor: the CPU row
    if failed:
        return Prerequisite("evc", TITLES["evc"], False, found,
                            Text.join(" ", [f.fix for f in failed]) + " (lab 04)", simulated)
    same_generation = len({h.max_evc for h in hosts}) == 1
    return Prerequisite("evc", TITLES["evc"], bool(mode) or same_generation, found,
                        Text("configure EVC on {cluster} at the mode every host supports "
                             "(lab 04)", "configurez EVC sur {cluster} dans le mode que tous "
                             "les hôtes acceptent (lab 04)", cluster=cluster), simulated)

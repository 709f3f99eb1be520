"""The course's vMotion prerequisites, checked live: one row per prerequisite.

The rows follow the course's table ("PRÉREQUIS vMotion", seed/vmotion-course-notes.fr.md):
hosts, CPU, vCenter, static IPs, identical networks, a VMkernel port with vMotion, a
shared datastore and EVC. Each row says what the lab found, whether the prerequisite
holds for the VM to migrate, and the fix (with the lab that teaches it). Values the
simulator cannot hold are marked as simulated (DESIGN.md §3.4).

    from lablib.prerequisites import prerequisites
    prerequisites(lab)                       # for the VM to migrate, source -> destination
    prerequisites(lab, vm="vm-local")        # for another VM
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from .i18n import tr
from .table import Table

#: The rows, in the course's order; the key is what exercises name.
KEYS = ("hosts", "cpu", "vcenter", "static_ip", "networks", "vmotion_vmk",
        "shared_datastore", "evc")

OK, FAIL = "✔", "✘"


@dataclass(frozen=True)
class Prerequisite:
    """One checked prerequisite: the course's words, what was found, the fix."""

    key: str
    title: str
    ok: bool
    found: str
    fix: str = ""
    emulated: bool = False


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
        mark = "*"
        title = tr(f"vMotion prerequisites for {self.vm}: {self.source} → {self.destination}",
                   f"Prérequis vMotion pour {self.vm} : {self.source} → {self.destination}")
        columns = [tr("key", "clé"), tr("prerequisite (course)", "prérequis (cours)"),
                   tr("status", "état"), tr("found", "constaté"), tr("fix", "correction")]
        rows = [[row.key, row.title, OK if row.ok else FAIL,
                 row.found + (mark if row.emulated else ""), "—" if row.ok else row.fix]
                for row in self.rows]
        notes = []
        if self.simulated:
            notes.append(tr("* simulated by lablib: vcsim has no API for these values.",
                            "* simulé par lablib : vcsim n'a pas d'API pour ces valeurs."))
        verdict = tr("All prerequisites hold.", "Tous les prérequis sont remplis.") if self.ok \
            else tr("Not met: ", "Non remplis : ") + ", ".join(self.failing) + "."
        return Table(title, columns, rows, notes + [verdict])

    def __str__(self) -> str:
        return str(self.table())

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        return self.table()._repr_html_().replace(
            f"<td style='text-align:left'>{html.escape(FAIL)}</td>",
            f"<td style='text-align:left;color:#b00'><b>{FAIL}</b></td>")


def prerequisites(lab, vm=None, destination=None) -> Prerequisites:
    """Check the course's prerequisites live for migrating `vm` to `destination`.

    Args:
        lab: a connected Lab.
        vm: the VM to migrate (name or object); the lab's VM to migrate by default.
        destination: the destination host; the lab's destination host by default (or the
            source host when the VM already runs on the destination).

    Returns:
        A Prerequisites table: `.rows`, `.failing` (keys), `.ok`.
    """
    roles = lab.roles
    snap = lab.facts.snapshot()
    vm_name = vm if isinstance(vm, str) else (vm.name if vm is not None else roles.vm)
    vm_facts = snap.vm(vm_name)
    if vm_facts is None:
        lab.vm(vm_name)  # raises NotFoundError with the close names
    cluster = snap.cluster(roles.cluster)
    hosts = [h for h in snap.hosts if cluster is None or h.name in cluster.hosts]
    source = snap.host(vm_facts.host)
    dest_name = destination if isinstance(destination, str) else \
        getattr(destination, "name", None)
    if dest_name is None:
        dest_name = roles.destination_host if source.name != roles.destination_host \
            else roles.source_host
    dest = snap.host(dest_name) or lab.host(dest_name)
    pair = [source, dest]
    emulating = lab.backend == "vcsim"
    report = Prerequisites(vm_facts.name, source.name, dest.name, simulated=emulating)
    report.rows = [
        _hosts(hosts, cluster),
        _cpu(hosts),
        _vcenter(lab),
        _static_ip(lab, hosts, emulating),
        _networks(vm_facts, pair),
        _vmotion_vmk(pair, vm_facts, emulating),
        _shared_datastore(snap, vm_facts, pair),
        _evc(lab, cluster, hosts, vm_facts, dest, emulating),
    ]
    return report


def _names(hosts) -> str:
    return ", ".join(h.name for h in hosts)


def _hosts(hosts, cluster) -> Prerequisite:
    usable = [h for h in hosts if h.connection_state == "connected" and not h.in_maintenance]
    where = cluster.name if cluster else tr("the datacenter", "le datacenter")
    found = tr(f"{len(usable)} usable host(s) in {where}: {_names(usable) or 'none'}",
               f"{len(usable)} hôte(s) utilisable(s) dans {where} : "
               f"{_names(usable) or 'aucun'}")
    return Prerequisite(
        "hosts", tr("At least 2 ESXi hosts", "Minimum 2 hôtes ESXi"), len(usable) >= 2, found,
        tr("add a second ESXi host to the cluster, or take one out of maintenance mode",
           "ajoutez un second hôte ESXi au cluster, ou sortez-en un du mode maintenance"))


def _cpu(hosts) -> Prerequisite:
    vendors = sorted({h.cpu_vendor for h in hosts})
    generations = sorted({h.max_evc for h in hosts})
    found = tr(f"vendor {', '.join(vendors)}", f"fabricant {', '.join(vendors)}")
    if len(generations) > 1:
        found += tr("; generations differ (", "; générations différentes (") + ", ".join(
            f"{h.name} {h.max_evc}" for h in hosts) + tr("): see EVC", ") : voir EVC")
    return Prerequisite(
        "cpu", tr("CPU: same vendor, ideally same generation",
                  "CPU : même fabricant, idéalement même génération"),
        len(vendors) == 1, found,
        tr("vMotion never crosses Intel and AMD, even with EVC: one vendor per cluster",
           "vMotion ne passe jamais d'Intel à AMD, même avec EVC : un fabricant par cluster"),
        emulated=any("cpu_vendor" in h.emulated for h in hosts))


def _vcenter(lab) -> Prerequisite:
    about = lab.conn.about
    is_vc = about.apiType == "VirtualCenter"
    name = tr("vCenter simulated by vcsim", "vCenter simulé par vcsim") \
        if lab.backend == "vcsim" else about.fullName
    return Prerequisite(
        "vcenter", tr("1 vCenter with a vMotion licence",
                      "1 instance vCenter avec licence adéquate"),
        is_vc, name + tr(" (licence not checked here)", " (licence non vérifiée ici)"),
        tr("manage the hosts from a vCenter: vMotion is a vCenter feature",
           "gérez les hôtes depuis un vCenter : vMotion est une fonction de vCenter"))


def _static_ip(lab, hosts, emulating: bool) -> Prerequisite:
    dhcp = set()
    if not emulating:  # vcsim's vmk0 says DHCP; the course's addresses are static (overlay)
        for row in lab.inventory.retrieve("host", ["name", "config.network.vnic"]):
            if any(v.device == "vmk0" and v.spec.ip.dhcp
                   for v in row.get("config.network.vnic", [])):
                dhcp.add(row["name"])
    ips = [h.mgmt_ip for h in hosts]
    ok = all(ips) and not dhcp and len(set(ips)) == len(ips)
    found = ", ".join(f"{h.name} {h.mgmt_ip or '?'}"
                      + (" (DHCP)" if h.name in dhcp else "") for h in hosts)
    return Prerequisite(
        "static_ip", tr("Static IP address on every ESXi host",
                        "Adresse IP statique sur tous les ESXi"), ok, found,
        tr("give vmk0 a fixed, distinct address on each host",
           "donnez à vmk0 une adresse fixe et distincte sur chaque hôte"),
        emulated=any("mgmt_ip" in h.emulated for h in hosts))


def _networks(vm, pair) -> Prerequisite:
    missing = [(net, h.name) for net in vm.networks for h in pair if net not in h.networks]
    found = tr(f"{vm.name} uses {', '.join(vm.networks) or 'no network'}; ",
               f"{vm.name} utilise {', '.join(vm.networks) or 'aucun réseau'} ; ")
    if missing:
        found += tr("missing on ", "absent sur ") + ", ".join(f"{h} ({n})" for n, h in missing)
    else:
        found += tr(f"present on {_names(pair)}", f"présent sur {_names(pair)}")
    fix = tr("create the same port group (same name and VLAN) on every host",
             "créez le même groupe de ports (même nom, même VLAN) sur chaque hôte")
    return Prerequisite(
        "networks", tr("Identical networks (same VLAN, MTU...)",
                       "Réseaux identiques (mêmes VLAN, MTU, etc.)"), not missing, found, fix)


def _vmotion_vmk(pair, vm, emulating: bool) -> Prerequisite:
    found = "; ".join(f"{h.name}: {', '.join(h.vmotion_vmks) or tr('none', 'aucun')}"
                      for h in pair)
    missing = [h.name for h in pair if not h.vmotion_vmks]
    fix = tr("enable vMotion on vmk0 of ", "activez vMotion sur vmk0 de ") + \
        ", ".join(missing) + tr(" (lab 03)", " (lab 03)")
    return Prerequisite(
        "vmotion_vmk", tr("VMkernel port with vMotion on every host",
                          "VMkernel port configuré pour vMotion"), not missing, found, fix,
        emulated=emulating)


def _shared_datastore(snap, vm, pair) -> Prerequisite:
    names = {h.name for h in pair}
    shared = [d.name for d in snap.datastores if names <= set(d.hosts)]
    not_seen = [d for d in vm.datastores if not names <= set(snap.datastore(d).hosts)]
    found = tr(f"shared: {', '.join(shared) or 'none'}; {vm.name}'s files on ",
               f"partagée(s) : {', '.join(shared) or 'aucune'} ; fichiers de {vm.name} sur ")
    found += ", ".join(f"{d} ({', '.join(snap.datastore(d).hosts)})" for d in vm.datastores)
    if not shared:
        fix = tr("mount one datastore on every host", "montez une banque de données sur "
                 "tous les hôtes")
    else:
        fix = tr(f"move {vm.name}'s files to {shared[0]} first (Storage vMotion, lab 06)",
                 f"déplacez d'abord les fichiers de {vm.name} vers {shared[0]} "
                 "(Storage vMotion, lab 06)")
    return Prerequisite(
        "shared_datastore", tr("Shared datastore visible from every ESXi host",
                               "Datastore partagé visible par tous les ESXi"),
        bool(shared) and not not_seen, found, fix)


def _evc(lab, cluster, hosts, vm, dest, emulating: bool) -> Prerequisite:
    modes = lab.evc_modes()
    mode, needed = modes.current, modes.catalog.common(h.max_evc for h in hosts)
    title = tr("EVC enabled on the cluster", "Activation de l'option EVC dans le Cluster")
    current = tr(f"EVC {mode}", f"EVC {mode}") if mode else tr("EVC off", "EVC désactivé")
    if len({h.max_evc for h in hosts}) == 1 and not mode:
        return Prerequisite("evc", title, True, current + tr(
            "; every host has the same CPU generation", "; tous les hôtes ont la même "
            "génération de CPU"), emulated=emulating)
    baseline = lab.cpu_baseline(vm.name) if vm.power_state == "poweredOn" else ""
    found = current + tr(f"; {vm.name} runs with {baseline} features" if baseline else
                         f"; {vm.name} is powered off",
                         f"; {vm.name} tourne avec les fonctions {baseline}" if baseline
                         else f"; {vm.name} est éteinte")
    name = cluster.name if cluster else lab.roles.cluster
    if not mode or not modes.catalog.contains(needed, mode):
        return Prerequisite("evc", title, False, found, tr(
            f"configure EVC on {name} at {needed}, the mode every host supports (lab 04)",
            f"configurez EVC sur {name} en mode {needed}, que tous les hôtes acceptent "
            "(lab 04)"), emulated=emulating)
    if baseline and not modes.catalog.contains(dest.max_evc, baseline):
        return Prerequisite("evc", title, False, found, tr(
            f"power {vm.name} off and on again so it starts with the EVC mode (lab 04)",
            f"éteignez puis rallumez {vm.name} pour qu'elle démarre avec le mode EVC "
            "(lab 04)"), emulated=emulating)
    return Prerequisite("evc", title, True, found, emulated=emulating)

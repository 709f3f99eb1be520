"""The lab status a student checks first: the target, its inventory, what is missing.

Like the "Lab Status" badge of VMware's Hands-on Labs (teaching-anchors.md C1), it
answers "is my lab ready?" and says how to fix what is not.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from .i18n import tr
from .table import Report, Table
from .vmotion.evc import vm_baselines

SIMULATED = "*"


@dataclass(repr=False)
class LabStatus(Report):
    """The status tables, plus `missing`: the lab objects that were not found."""

    missing: list[str]
    ready: bool

    def __str__(self) -> str:
        return super().__str__() + "\n\n" + self._verdict()

    def _repr_html_(self) -> str:
        return super()._repr_html_() + f"<p><b>{self._verdict()}</b></p>"

    def _verdict(self) -> str:
        if self.ready:
            return tr("Lab status: ready.", "État du lab : prêt.")
        return tr("Lab status: NOT ready. ", "État du lab : PAS prêt. ") + " ".join(self.missing)


def lab_status(lab) -> LabStatus:
    """Read the inventory and return the lab status."""
    snap = lab.facts.snapshot()
    hosts, vms, datastores, clusters = snap.hosts, snap.vms, snap.datastores, snap.clusters
    baselines = vm_baselines(lab, snap)  # takes in power cycles made outside lablib
    simulated = lab.backend == "vcsim"
    mark = SIMULATED if simulated else ""
    target = Table(tr("Target", "Cible"), [tr("backend", "cible"), tr("server", "serveur"),
                                             "API"],
                   [[_backend_label(lab), _where(lab), lab.conn.about.apiVersion]])
    host_table = Table(tr("Hosts", "Hôtes"), [
        tr("host", "hôte"), f"vmk0 IP{mark}", f"CPU{mark}", f"max EVC{mark}",
        f"vMotion{mark}", tr("state", "état")], [
        [h.name, h.mgmt_ip, h.cpu_model, h.max_evc, ", ".join(h.vmotion_vmks) or "—",
         tr("maintenance", "maintenance") if h.in_maintenance else h.connection_state]
        for h in hosts])
    cluster_table = Table(tr("Clusters", "Clusters"), [
        "cluster", f"EVC{mark}", "DRS", tr("hosts", "hôtes")], [
        [c.name, c.evc_mode or tr("off", "désactivé"),
         (c.drs_behavior or tr("on", "activé")) if c.drs_enabled else tr("off", "désactivé"),
         ", ".join(c.hosts)] for c in clusters])
    ds_table = Table(tr("Datastores", "Banques de données (datastores)"), [
        "datastore", tr("mounted on", "montée sur"), tr("shared", "partagée")], [
        [d.name, ", ".join(d.hosts), tr("yes", "oui") if d.shared else tr("no (local)",
                                                                         "non (locale)")]
        for d in datastores])
    vm_table = Table("VMs", ["VM", tr("host", "hôte"), "datastore", tr("power", "alimentation"),
                             f"CPU baseline{mark}"], [
        [v.name, v.host, ", ".join(v.datastores), v.power_state, baselines.get(v.name) or "—"]
        for v in vms])
    if simulated:
        host_table.notes.append(tr(
            "* simulated by lablib: vcsim has no API for these values.",
            "* simulé par lablib : vcsim n'a pas d'API pour ces valeurs."))
    missing = _missing(lab, hosts, vms, datastores, clusters)
    return LabStatus([target, cluster_table, host_table, ds_table, vm_table],
                     missing=missing, ready=not missing)


def _backend_label(lab) -> str:
    if lab.backend == "vcsim":
        return tr("simulator (vcsim, govmomi v0.56.0)", "simulateur (vcsim, govmomi v0.56.0)")
    return f"vCenter ({lab.conn.about.fullName})"


def _where(lab) -> str:
    if lab.sim_state is not None:
        return lab.sim_state.public_url()
    return f"https://{lab.conn.target.host}:{lab.conn.target.port}/sdk"


def _missing(lab, hosts, vms, datastores, clusters) -> list[str]:
    present = {
        "cluster": {c.name for c in clusters},
        "host": {h.name for h in hosts},
        "datastore": {d.name for d in datastores},
        "vm": {v.name for v in vms},
        "network": {n for h in hosts for n in h.networks},
    }
    roles = lab.roles
    problems = []
    for role in fields(roles):
        kind = _role_kind(role.name)
        name = getattr(roles, role.name)
        if kind and name not in present[kind]:
            problems.append(tr(f"Missing {kind} '{name}' (role {role.name}).",
                               f"{kind} '{name}' introuvable (rôle {role.name})."))
    if problems:
        fix = tr("On the simulator run lab.reset() (or `python -m lablib sim reset`); on a "
                 "vCenter, map the roles to your names in lab.toml [roles].",
                 "Sur le simulateur, lancez lab.reset() (ou `python -m lablib sim reset`) ; "
                 "sur un vCenter, associez les rôles à vos noms dans lab.toml [roles].")
        problems.append(fix)
    return problems


def _role_kind(role: str) -> str:
    for suffix, kind in (("host", "host"), ("datastore", "datastore"), ("vm", "vm"),
                         ("cluster", "cluster"), ("network", "network")):
        if role.endswith(suffix):
            return kind
    return ""

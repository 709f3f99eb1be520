"""The lab status a student checks first: the target, its inventory, what is missing.

Like the "Lab Status" badge of VMware's Hands-on Labs (docs/teaching.md C1), it answers
"is my lab ready?" and says how to fix what is not.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from .facts import power_state
from .table import Report, Table
from .text import Text
from .vmotion.display import SIMULATED
from .vmotion.rules import connection_state

if TYPE_CHECKING:
    from .facts import ClusterFacts, DatastoreFacts, HostFacts, VmFacts
    from .session import Session


@dataclass(repr=False)
class LabStatus(Report):
    """The status tables, plus `missing`: the lab objects that were not found."""

    missing: list[Text]
    ready: bool

    def __str__(self) -> str:
        return super().__str__() + "\n\n" + str(self.verdict())

    def _repr_html_(self) -> str:
        return super()._repr_html_() + f"<p><b>{self.verdict()}</b></p>"

    def verdict(self) -> Text:
        """Return the one-line verdict: ready, or what is missing."""
        if self.ready:
            return Text("Lab status: ready.", "État du lab : prêt.")
        return Text("Lab status: NOT ready. {missing}", "État du lab : PAS prêt. {missing}",
                    missing=Text.join(" ", self.missing))


def lab_status(session: Session) -> LabStatus:
    """Read the inventory and return the lab status."""
    snap = session.facts.snapshot()
    hosts, vms, datastores, clusters = snap.hosts, snap.vms, snap.datastores, snap.clusters
    backend = session.backend
    baselines = backend.baselines(snap)  # takes in power cycles made by any client
    mark = SIMULATED if backend.simulated else ""
    about = session.conn.about
    target = Table(Text("Target", "Cible"), [Text("server", "serveur"), "API",
                                             Text("vMotion rules", "règles vMotion"), "URL"],
                   [[about.fullName, about.apiVersion, backend.label, _where(session)]])
    host_table = Table(Text("Hosts", "Hôtes"), [
        Text("host", "hôte"), f"vmk0 IP{mark}", f"CPU{mark}", f"max EVC{mark}",
        f"vMotion{mark}", Text("state", "état")], [
        [h.name, h.mgmt_ip, h.cpu_model, h.max_evc, ", ".join(h.vmotion_vmks) or "—",
         Text("maintenance") if h.in_maintenance else connection_state(h.connection_state)]
        for h in hosts])
    cluster_table = Table(Text("Clusters"), [
        "cluster", f"EVC{mark}", "DRS", Text("hosts", "hôtes")], [
        [c.name, c.evc_mode or Text("off", "désactivé"), _drs(c), ", ".join(c.hosts)]
        for c in clusters])
    ds_table = Table(Text("Datastores", "Banques de données (datastores)"), [
        "datastore", Text("mounted on", "montée sur"), Text("shared", "partagée")], [
        [d.name, ", ".join(d.hosts),
         Text("yes", "oui") if d.shared else Text("no (local)", "non (locale)")]
        for d in datastores])
    vm_table = Table("VMs", ["VM", Text("host", "hôte"), "datastore",
                             Text("power", "alimentation"), f"CPU baseline{mark}"], [
        [v.name, v.host, ", ".join(v.datastores), power_state(v.power_state),
         baselines.get(v.name) or "—"] for v in vms])
    note = backend.note()
    if note is not None:
        host_table.notes.append(note)
    missing = _missing(session, hosts, vms, datastores, clusters)
    return LabStatus([target, cluster_table, host_table, ds_table, vm_table],
                     missing=missing, ready=not missing)


_DRS = {"manual": Text("manual", "manuel"),
        "partiallyAutomated": Text("partially automated", "partiellement automatisé"),
        "fullyAutomated": Text("fully automated", "entièrement automatisé")}


def _drs(cluster: ClusterFacts) -> Any:
    if not cluster.drs_enabled:
        return Text("off", "désactivé")
    return _DRS.get(cluster.drs_behavior, Text("on", "activé"))


def _where(session: Session) -> str:
    if session.sim_state is not None:
        return session.sim_state.public_url()
    target = session.conn.target
    return f"https://{target.host}:{target.port}/sdk"


def _missing(session: Session, hosts: list[HostFacts], vms: list[VmFacts],
             datastores: list[DatastoreFacts], clusters: list[ClusterFacts]) -> list[Text]:
    present = {
        "cluster": {c.name for c in clusters},
        "host": {h.name for h in hosts},
        "datastore": {d.name for d in datastores},
        "vm": {v.name for v in vms},
        "network": {n for h in hosts for n in h.networks},
    }
    roles = session.roles
    problems = []
    for role in fields(roles):
        kind = _role_kind(role.name)
        name = getattr(roles, role.name)
        if kind and name not in present[kind]:
            problems.append(Text("Missing {kind} '{name}' (role {role}).",
                                 "{kind} '{name}' introuvable (rôle {role}).", kind=kind,
                                 name=name, role=role.name))
    if problems:
        problems.append(Text(
            "On the simulator run lab.reset() (or `python -m lablib sim reset`); on a "
            "vCenter, map the roles to your names in lab.toml [roles].",
            "Sur le simulateur, lancez lab.reset() (ou `python -m lablib sim reset`) ; sur un "
            "vCenter, associez les rôles à vos noms dans lab.toml [roles]."))
    return problems


def _role_kind(role: str) -> str:
    for suffix, kind in (("host", "host"), ("datastore", "datastore"), ("vm", "vm"),
                         ("cluster", "cluster"), ("network", "network")):
        if role.endswith(suffix):
            return kind
    return ""

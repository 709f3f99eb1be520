"""DRS-style placement: host load, the least loaded compatible host, rebalance advice.

vcsim has no DRS engine: `recommendation` stays empty and RefreshRecommendation answers
MethodNotFound (vcsim-gaps.md §4(f)), so lablib computes recommendations as DRS would
(vsphere-facts.md §6): only for VMs that pass the migration rules ("recommendations may
only be made if the VM can be vMotioned"), moving load from the most to the least loaded
host while that narrows the gap. A VM's load is its demand (`summary.quickStats`) or,
where the server reports none, its configured vCPUs and memory, against the host's.
A real vCenter with DRS on gives its own recommendations.

    govc: none. PowerCLI: Get-DrsRecommendation -Cluster C -Refresh; Invoke-DrsRecommendation
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .. import scope
from ..errors import InputError, LabError
from ..i18n import tr
from ..table import Table
from . import capability, rules
from .display import ShownAsTable, simulated_note, starred
from .findings import Finding
from .migrate import migrate
from .plan import RuleFacts, rule_facts

MIN_GAIN = 0.05  # narrow the load gap by at least 5 points, as DRS's default threshold


@dataclass(frozen=True)
class Recommendation:
    """Move `vm` from `source` to `destination`, and why."""

    vm: str
    source: str
    destination: str
    reason: str
    emulated: bool = False
    origin: str = "lablib"      # "lablib" or "vCenter DRS"
    key: str = ""               # vCenter's recommendation key
    result: object = field(default=None, compare=False)   # MigrationResult once applied
    error: str = field(default="", compare=False)


class Recommendations(ShownAsTable, list):
    """DRS-style recommendations, shown as a table."""

    def __init__(self, items, cluster: str, applied: bool = False):
        super().__init__(items)
        self.cluster, self.applied = cluster, applied

    def table(self) -> Table:
        """Return the recommendations as a table."""
        columns = ["VM", tr("from", "depuis"), tr("to", "vers"), tr("reason", "raison")]
        if self.applied:
            columns.append(tr("applied", "appliquée"))
        rows = []
        for rec in self:
            row = [starred(rec.vm, rec.emulated), rec.source, rec.destination, rec.reason]
            if self.applied:
                row.append(rec.error or (tr("done", "faite") if rec.result else ""))
            rows.append(row)
        table = Table(tr(f"DRS recommendations for {self.cluster}",
                         f"Recommandations DRS pour {self.cluster}"), columns, rows)
        if not self:
            table.notes.append(tr("The cluster is balanced: nothing to move.",
                                  "Le cluster est équilibré : rien à déplacer."))
        if any(rec.emulated for rec in self):
            table.notes.append(simulated_note())
        return table


class ClusterModel:
    """A cluster as DRS weighs it: host capacities, VM demands, where each VM runs."""

    def __init__(self, lab, facts: RuleFacts, cluster: str):
        snap = facts.snapshot
        self.facts = facts
        self.emulated = lab.backend == "vcsim"  # vcsim has no DRS engine (§4(f))
        members = snap.cluster(cluster).hosts
        self.hosts = [snap.host(name) for name in members]
        self.usable = [h for h in self.hosts
                       if h.connection_state == "connected" and not h.in_maintenance]
        self.vms = [v for v in snap.vms if v.host in members and v.power_state == "poweredOn"]
        self.where = {v.name: v.host for v in self.vms}
        rows = lab.inventory.retrieve_many({
            "vm": ["name", "summary.quickStats.overallCpuUsage",
                   "summary.quickStats.guestMemoryUsage"],
            "host": ["name", "summary.hardware.cpuMhz", "summary.hardware.numCpuCores",
                     "summary.hardware.memorySize"]})
        host_rows = {r["name"]: r for r in rows["host"]}
        self.capacity = {
            name: (max(1, r.get("summary.hardware.cpuMhz", 0)
                       * r.get("summary.hardware.numCpuCores", 0)),
                   max(1, r.get("summary.hardware.memorySize", 0) // 2 ** 20))
            for name, r in host_rows.items() if name in members}
        self.size = {v.name: (v.cpus, v.memory_mb) for v in snap.vms}
        self.demand = {}
        for r in rows["vm"]:
            if r["name"] in self.where:
                core_mhz = host_rows[self.where[r["name"]]].get("summary.hardware.cpuMhz", 0)
                cpus, memory = self.size[r["name"]]
                self.demand[r["name"]] = (
                    r.get("summary.quickStats.overallCpuUsage") or cpus * core_mhz,
                    r.get("summary.quickStats.guestMemoryUsage") or memory)

    def load(self, host: str) -> float:
        """Return a host's load: the mean of its CPU and memory demand over capacity."""
        cpu_cap, mem_cap = self.capacity[host]
        on = [self.demand[vm] for vm, where in self.where.items() if where == host]
        return (sum(c for c, _ in on) / cpu_cap + sum(m for _, m in on) / mem_cap) / 2

    def gap(self) -> float:
        """Return the load gap between the most and the least loaded usable host."""
        loads = [self.load(h.name) for h in self.usable]
        return max(loads) - min(loads) if loads else 0.0

    def findings(self, vm, host) -> list[Finding]:
        """Return the rule findings for moving `vm` (VmFacts) to `host` (HostFacts)."""
        facts = self.facts
        return rules.check(rules.plan_move(facts.snapshot, vm, host, None, None,
                                           facts.baselines.get(vm.name, ""), facts.catalog))

    def place(self, vm, avoid: str) -> tuple[object, dict[str, list[Finding]]]:
        """Return the least loaded compatible host for `vm` but `avoid`, and the refusals."""
        refused = {}
        for host in sorted(self.usable, key=lambda h: (self.load(h.name), h.name)):
            if host.name == avoid:
                continue
            failures = [f for f in self.findings(vm, host) if not f.ok]
            if not failures:
                self.where[vm.name] = host.name
                return host, refused
            refused[host.name] = failures
        return None, refused

    def describe(self, host: str) -> tuple[int, int, float]:
        """Return (powered-on VMs, vCPUs, memory GiB) on a host."""
        on = [vm for vm, where in self.where.items() if where == host]
        return (len(on), sum(self.size[v][0] for v in on),
                sum(self.size[v][1] for v in on) / 1024)

    def next_move(self) -> Recommendation | None:
        """Return the move that narrows the load gap most, applied to the model, or None."""
        usable = sorted(self.usable, key=lambda h: (self.load(h.name), h.name))
        if len(usable) < 2:
            return None
        cool, hot, gap = usable[0], usable[-1], self.gap()
        best = None
        for vm in sorted((v for v in self.vms if self.where[v.name] == hot.name),
                         key=lambda v: v.name):
            if any(not f.ok for f in self.findings(vm, cool)):
                continue
            self.where[vm.name] = cool.name
            after = self.gap()
            self.where[vm.name] = hot.name
            if after < gap - MIN_GAIN and (best is None or after < best[0]):
                best = (after, vm)
        if best is None:
            return None
        vm = best[1]
        before = (self.load(hot.name), self.load(cool.name), self.describe(hot.name),
                  self.describe(cool.name))
        self.where[vm.name] = cool.name
        return Recommendation(vm.name, hot.name, cool.name, self._reason(
            vm.name, hot.name, cool.name, before), emulated=self.emulated)

    def _reason(self, vm: str, hot: str, cool: str, before) -> str:
        hot_load, cool_load, (n1, c1, m1), (n2, c2, m2) = before
        after = f"{self.load(hot):.0%} / {self.load(cool):.0%}"
        return tr(f"Load imbalance: {hot} runs {n1} VMs ({c1} vCPU, {m1:.1f} GiB; load "
                  f"{hot_load:.0%}), {cool} runs {n2} ({c2} vCPU, {m2:.1f} GiB; "
                  f"{cool_load:.0%}). Moving {vm} gives {after}.",
                  f"Déséquilibre de charge : {hot} fait tourner {n1} VM ({c1} vCPU, "
                  f"{m1:.1f} Gio ; charge {hot_load:.0%}), {cool} {n2} ({c2} vCPU, "
                  f"{m2:.1f} Gio ; {cool_load:.0%}). Déplacer {vm} donne {after}.")


def rebalance(lab, cluster=None, apply: bool = False) -> Recommendations:
    """Return DRS-style recommendations (VM, from, to, reason); apply them if asked.

    Args:
        cluster: the cluster (the lab's by default).
        apply: migrate each recommended VM (with lablib.migrate, rules included).

    govc: none. PowerCLI: Get-DrsRecommendation -Cluster C -Refresh, then
    Invoke-DrsRecommendation (apply).
    """
    if not isinstance(apply, bool):
        raise InputError(f"apply must be True or False, got {apply!r}.")
    obj = lab.cluster(cluster)
    if apply:
        scope.check_change(lab, "rebalance", obj)
    facts = rule_facts(lab)
    cluster_facts = next(c for c in facts.snapshot.clusters if c.obj == obj)
    found = _from_vcenter(lab, obj) if cluster_facts.drs_enabled else None
    if found is None:
        model = ClusterModel(lab, facts, cluster_facts.name)
        found = []
        while (rec := model.next_move()) is not None:
            found.append(rec)
    if apply:
        found = [_apply(lab, rec) for rec in found]
    return Recommendations(found, cluster_facts.name, applied=apply)


def _from_vcenter(lab, cluster) -> list[Recommendation] | None:
    """Return vCenter DRS's recommendations, or None on a server without DRS (vcsim)."""
    refreshed, emulated = capability.call(lab.conn, "RefreshRecommendation",
                                          lambda: cluster.RefreshRecommendation() or True,
                                          lambda: None)
    if emulated or refreshed is None:
        return None
    found = []
    for rec in lab.inventory.retrieve_one(cluster, ["recommendation"]).get("recommendation", []):
        for action in rec.action or []:
            move = getattr(action, "drsMigration", None)
            if move is not None and action.target is not None:
                found.append(Recommendation(action.target.name, move.source.name,
                                            move.destination.name,
                                            rec.reasonText or str(rec.reason),
                                            origin="vCenter DRS", key=rec.key))
    return found


def _apply(lab, rec: Recommendation) -> Recommendation:
    try:
        return replace(rec, result=migrate(lab, rec.vm, host=rec.destination))
    except LabError as exc:
        return replace(rec, error=str(exc))

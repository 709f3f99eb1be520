"""DRS: host load, the least loaded compatible host, and the cluster's recommendations.

With DRS on, vCenter recommends moves that narrow the load gap between hosts, only for
VMs that can be vMotioned ("recommendations may only be made if the VM can be vMotioned
onto another host", docs/vsphere-facts.md §6); with DRS off it recommends nothing. The
server gives its recommendations (`cluster.recommendation`; the lab simulator models
DRS's load balancing); on the public vcsim image lablib.fallback computes them with
`ClusterModel`, which is also how lablib places the VMs it evacuates from a host.

    govc: none. PowerCLI: Get-DrsRecommendation -Cluster C -Refresh; Invoke-DrsRecommendation
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..errors import InputError, LabError
from ..facts import ClusterFacts, HostFacts, Snapshot, VmFacts
from ..table import Table
from ..text import Text, number
from .display import ShownAsTable, simulated_note, starred
from .migrate import migrate

if TYPE_CHECKING:
    from ..inventory import Inventory
    from ..session import Session

MIN_GAIN = 0.05  # narrow the load gap by at least 5 points, as DRS's default threshold


@dataclass(frozen=True)
class Recommendation:
    """Move `vm` from `source` to `destination`, and why."""

    vm: str
    source: str
    destination: str
    reason: Text | str
    simulated: bool = False     # computed by lablib's fallback, not the server
    key: str = ""               # the server's recommendation key
    result: Any = field(default=None, compare=False)   # MigrationResult once applied
    error: Text | str = field(default="", compare=False)


class Recommendations(ShownAsTable, list[Recommendation]):
    """DRS recommendations, shown as a table."""

    def __init__(self, items: list[Recommendation], cluster: str, applied: bool = False,
                 drs_enabled: bool = True):
        super().__init__(items)
        self.cluster, self.applied, self.drs_enabled = cluster, applied, drs_enabled

    def table(self) -> Table:
        """Return the recommendations as a table."""
        columns: list[Any] = ["VM", Text("from", "depuis"), Text("to", "vers"),
                              Text("reason", "raison")]
        if self.applied:
            columns.append(Text("applied", "appliquée"))
        rows = []
        for rec in self:
            row = [starred(rec.vm, rec.simulated), rec.source, rec.destination, rec.reason]
            if self.applied:
                row.append(rec.error or (Text("done", "faite") if rec.result else ""))
            rows.append(row)
        table = Table(Text("DRS recommendations for {cluster}",
                           "Recommandations DRS pour {cluster}", cluster=self.cluster),
                      columns, rows, empty=Text("no recommendation", "aucune recommandation"))
        if not self.drs_enabled:
            table.notes.append(Text("DRS is off on this cluster: vCenter makes no "
                                    "recommendation.", "DRS est désactivé sur ce cluster : "
                                    "vCenter ne fait aucune recommandation."))
        elif not self:
            table.notes.append(Text("The cluster is balanced: nothing to move.",
                                    "Le cluster est équilibré : rien à déplacer."))
        if any(rec.simulated for rec in self):
            table.notes.append(simulated_note())
        return table


class ClusterModel:
    """A cluster as DRS weighs it: host capacities, VM demands, where each VM runs.

    A VM's load is its demand (`summary.quickStats`) or, where the server reports none,
    its configured vCPUs and memory; a host's load is the mean of its CPU and memory
    demand over its capacity.
    """

    def __init__(self, inventory: Inventory, snapshot: Snapshot, cluster: str,
                 compatible: Callable[[VmFacts, HostFacts], bool]):
        self.compatible = compatible
        found = snapshot.cluster(cluster)
        members = found.hosts if found is not None else ()
        self.hosts = [h for h in snapshot.hosts if h.name in members]
        self.usable = [h for h in self.hosts
                       if h.connection_state == "connected" and not h.in_maintenance]
        self.vms = [v for v in snapshot.vms if v.host in members and v.power_state == "poweredOn"]
        self.where = {v.name: v.host for v in self.vms}
        rows = inventory.retrieve_many({
            "vm": ["name", "summary.quickStats.overallCpuUsage",
                   "summary.quickStats.guestMemoryUsage"],
            "host": ["name", "summary.hardware.cpuMhz", "summary.hardware.numCpuCores",
                     "summary.hardware.memorySize"]})
        host_rows = {r.get("name"): r for r in rows["host"]}
        self.capacity = {
            name: (max(1, r.get("summary.hardware.cpuMhz", 0)
                       * r.get("summary.hardware.numCpuCores", 0)),
                   max(1, r.get("summary.hardware.memorySize", 0) // 2 ** 20))
            for name, r in host_rows.items() if name in members}
        self.size = {v.name: (v.cpus, v.memory_mb) for v in snapshot.vms}
        self.demand: dict[str, tuple[float, float]] = {}
        for r in rows["vm"]:
            name = r.get("name")
            if name in self.where:
                core_mhz = host_rows[self.where[name]].get("summary.hardware.cpuMhz", 0)
                cpus, memory = self.size[name]
                self.demand[name] = (
                    r.get("summary.quickStats.overallCpuUsage") or cpus * core_mhz,
                    r.get("summary.quickStats.guestMemoryUsage") or memory)

    def load(self, host: str) -> float:
        """Return a host's load: the mean of its CPU and memory demand over capacity."""
        cpu_cap, mem_cap = self.capacity.get(host, (1, 1))
        on = [self.demand[vm] for vm, where in self.where.items() if where == host]
        return (sum(c for c, _ in on) / cpu_cap + sum(m for _, m in on) / mem_cap) / 2

    def gap(self) -> float:
        """Return the load gap between the most and the least loaded usable host."""
        loads = [self.load(h.name) for h in self.usable]
        return max(loads) - min(loads) if loads else 0.0

    def by_load(self, avoid: str = "") -> list[HostFacts]:
        """Return the usable hosts but `avoid`, least loaded first."""
        return sorted((h for h in self.usable if h.name != avoid),
                      key=lambda h: (self.load(h.name), h.name))

    def place(self, vm: VmFacts, host: HostFacts) -> None:
        """Record that `vm` now runs on `host`."""
        self.where[vm.name] = host.name

    def describe(self, host: str) -> tuple[int, int, float]:
        """Return (powered-on VMs, vCPUs, memory GiB) on a host."""
        on = [vm for vm, where in self.where.items() if where == host]
        return (len(on), sum(self.size[v][0] for v in on),
                sum(self.size[v][1] for v in on) / 1024)

    def next_move(self) -> tuple[VmFacts, HostFacts, HostFacts, Text] | None:
        """Return the move that narrows the load gap most (applied to the model), or None."""
        usable = self.by_load()
        if len(usable) < 2:
            return None
        cool, hot, gap = usable[0], usable[-1], self.gap()
        best = None
        for vm in sorted((v for v in self.vms if self.where[v.name] == hot.name),
                         key=lambda v: v.name):
            if not self.compatible(vm, cool):
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
        return vm, hot, cool, self._reason(vm.name, hot.name, cool.name, before)

    def _reason(self, vm: str, hot: str, cool: str, before: Any) -> Text:
        hot_load, cool_load, (n1, c1, m1), (n2, c2, m2) = before
        return Text("Load imbalance: {hot} runs {n1} VMs ({c1} vCPU, {m1} GiB; load "
                    "{hot_load}), {cool} runs {n2} ({c2} vCPU, {m2} GiB; {cool_load}). Moving "
                    "{vm} gives {after}.",
                    "Déséquilibre de charge : {hot} fait tourner {n1} VM ({c1} vCPU, {m1} Gio ; "
                    "charge {hot_load}), {cool} {n2} ({c2} vCPU, {m2} Gio ; {cool_load}). "
                    "Déplacer {vm} donne {after}.", hot=hot, cool=cool, vm=vm, n1=n1, c1=c1,
                    m1=number(m1), n2=n2, c2=c2, m2=number(m2), hot_load=percent(hot_load),
                    cool_load=percent(cool_load),
                    after=Text.join(" / ", [percent(self.load(hot)), percent(self.load(cool))]))


def percent(value: float) -> Text:
    """Return a ratio as a percentage, "42%" in English and "42 %" in French."""
    return Text("{n}%", "{n} %", n=round(value * 100))


def rebalance(session: Session, cluster: Any = None, apply: bool = False) -> Recommendations:
    """Return the cluster's DRS recommendations (VM, from, to, reason); apply them if asked.

    Args:
        cluster: the cluster (the lab's by default).
        apply: ask DRS for fresh recommendations and migrate each recommended VM
            (each migration checked by the server, as any other).

    govc: none. PowerCLI: Get-DrsRecommendation -Cluster C [-Refresh], then
    Invoke-DrsRecommendation (apply).
    """
    if not isinstance(apply, bool):
        raise InputError(Text("apply must be True or False, got {got}.",
                              "apply doit être True ou False, reçu {got}.",
                              got=repr(apply)[:40]))
    obj = session.cluster(cluster)
    if apply:
        session.check_change("rebalance", obj)
    snap = session.facts.snapshot()
    facts: ClusterFacts = snap.of(obj)
    simulated = bool(session.backend.simulated)
    found = [Recommendation(m.vm, m.source, m.destination, m.reason, simulated, m.key)
             for m in session.backend.recommendations(facts, snap, refresh=apply)]
    if apply:
        found = [_apply(session, rec) for rec in found]
    return Recommendations(found, facts.name, applied=apply, drs_enabled=facts.drs_enabled)


def _apply(session: Session, rec: Recommendation) -> Recommendation:
    try:
        return replace(rec, result=migrate(session, rec.vm, host=rec.destination))
    except LabError as exc:
        return replace(rec, error=str(exc))

"""Run relocations at once, read where the VMs landed, and record their events.

Every RelocateVM_Task of a batch starts before the first is awaited (one task each, as
DRS moves VMs in parallel); `wait_all` follows them all through one PropertyCollector.
On vcsim the VMs' file paths follow their storage first (lablib.sim.emulation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from pyVmomi import vim

from ..i18n import tr
from ..sim import emulation
from ..table import Table
from ..tasks import failure, wait_all
from .display import ShownAsTable
from .history import Arrival, MigrationEvent, TaskSummary, record_migrations, summarize
from .plan import Plan
from .spec import relocate_spec


@dataclass(frozen=True, repr=False)
class MigrationResult(ShownAsTable):
    """Where the VM was and is now, the task that moved it and its event."""

    vm: str
    kind: str
    before: object          # Placement
    after: object           # Placement
    task: TaskSummary | None = None
    seconds: float = 0.0
    event: MigrationEvent | None = None

    @property
    def moved(self) -> bool:
        """Tell whether the VM's host or datastores changed."""
        return (self.before.host, self.before.datastores) != \
            (self.after.host, self.after.datastores)

    def table(self) -> Table:
        """Return the result as a before/after table."""
        if self.task is None:
            state = tr("nothing to do", "rien à faire")
        else:
            state = tr(f"{self.task.state} in {self.seconds:.1f} s",
                       f"{self.task.state} en {self.seconds:.1f} s")
        table = Table(tr(f"Migration of {self.vm} ({self.kind}): {state}",
                         f"Migration de {self.vm} ({self.kind}) : {state}"),
                      ["", tr("host", "hôte"), "datastore", tr("power", "alimentation")],
                      [[tr(label_en, label_fr), p.host, ", ".join(p.datastores), p.power_state]
                       for (label_en, label_fr), p in ((("before", "avant"), self.before),
                                                       (("after", "après"), self.after))])
        if self.event is not None:
            note = f" ({self.event.note})" if self.event.note else ""
            table.notes.append(f"{tr('Event', 'Événement')}: {self.event.message}{note}")
        return table


def relocate(lab, plans: list[Plan], priority: str = "defaultPriority",
             on_progress: Callable | None = None, timeout: float | None = None) -> list:
    """Run the plans' relocations at once and return a MigrationResult or TaskFailed each."""
    simulated = lab.backend == "vcsim"
    for plan in plans:
        if simulated and plan.move.datastore_changes:
            _files_before(lab, plan)
    specs = [relocate_spec(lab, plan) for plan in plans]
    tasks = [plan.vm.RelocateVM_Task(spec=spec, priority=priority)
             for plan, spec in zip(plans, specs)]  # all at once: DRS-like parallel moves
    infos = wait_all(lab.conn, tasks, timeout, on_progress, raise_on_error=False)
    landed = _arrivals(lab, plans, infos)
    arrivals = [landed[plan.vm._moId].event for plan in plans
                if landed[plan.vm._moId].event is not None]
    events = {a.vm._moId: e for a, e in zip(arrivals, record_migrations(lab, arrivals))}
    outcomes = []
    for plan, info in zip(plans, infos):
        if info.state == "error":
            outcomes.append(failure(info))
            continue
        arrival = landed[plan.vm._moId]
        seconds = (info.completeTime - info.startTime).total_seconds() \
            if info.completeTime and info.startTime else 0.0
        outcomes.append(MigrationResult(plan.move.vm.name, plan.move.kind,
                                        placement_of(plan.move.vm), arrival.placement,
                                        summarize(info), seconds,
                                        events.get(plan.vm._moId)))
    return outcomes


def _files_before(lab, plan: Plan) -> None:
    """On vcsim, rename a VM's file paths as its storage moves (lablib.sim.emulation)."""
    move = plan.move
    where = emulation.path_datastore(move.target.name, move.source.datastores,
                                     move.destination.datastores)
    if where is not None:
        emulation.rename_files(lab.conn, plan.vm, where)


class _Landed(NamedTuple):
    placement: object
    event: Arrival | None


def _arrivals(lab, plans, infos) -> dict:
    """Return {VM moid: where it is now, and its event arguments}, in one listing."""
    from ..lab import Placement  # lablib.lab imports this module

    rows = lab.inventory.retrieve_many({
        "vm": ["name", "runtime.host", "datastore", "runtime.powerState"],
        "host": ["name", "parent"], "datastore": ["name"], "cluster": ["name"]})
    names = {r["obj"]._moId: r["name"] for kind in ("host", "datastore", "cluster")
             for r in rows[kind]}
    parents = {r["obj"]._moId: r.get("parent") for r in rows["host"]}
    done = {plan.vm._moId: info for plan, info in zip(plans, infos)}
    found = {}
    for row in rows["vm"]:
        moid = row["obj"]._moId
        if moid not in done:
            continue
        host, datastores = row["runtime.host"], list(row.get("datastore", []))
        placement = Placement(row["name"], names.get(host._moId, ""),
                              tuple(sorted(names.get(d._moId, "") for d in datastores)),
                              row["runtime.powerState"])
        event = None
        if done[moid].state == "success" and datastores:
            cluster = parents.get(host._moId)
            event = Arrival(
                row["obj"], done[moid],
                vim.event.HostEventArgument(name=names.get(host._moId, ""), host=host),
                vim.event.DatastoreEventArgument(name=names.get(datastores[0]._moId, ""),
                                                 datastore=datastores[0]),
                vim.event.ComputeResourceEventArgument(
                    name=names.get(cluster._moId, "") if cluster else "",
                    computeResource=cluster))
        found[moid] = _Landed(placement, event)
    return found


def placement_of(vm_facts):
    """Return the Placement of a VM from its facts."""
    from ..lab import Placement  # lablib.lab imports this module

    return Placement(vm_facts.name, vm_facts.host, tuple(vm_facts.datastores),
                     vm_facts.power_state)

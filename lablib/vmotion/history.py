"""The course's "onglet Tâches": recent tasks, and migration events with where VMs went.

Tasks come from a TaskHistoryCollector (destroyed after each read: vcsim allows 32,
vcsim-gaps.md §4(h)). Events come from EventManager.QueryEvents. vcsim's own
VmMigratedEvent names the source host as destination (vcsim-gaps.md §4(c)): after each
migration lablib posts a corrected event, and when listing it shows the corrected one,
or, for migrations made by another client (govc), the destination inferred from the
VM's next move or its current placement; those rows say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from pyVmomi import vim

from ..errors import InputError, NotFoundError
from ..i18n import tr
from ..inventory import KINDS
from ..sim import emulation
from ..table import Table
from ..tasks import fault_text, task_label
from .display import simulated_note, starred, when

#: Event types of a migration (vsphere-facts.md §5); the type filter also matches subtypes
#: on vcsim, but vCenter's behaviour is UNCONFIRMED, so DrsVmMigratedEvent is listed too.
MIGRATION_EVENTS = ["VmMigratedEvent", "DrsVmMigratedEvent", "VmBeingHotMigratedEvent",
                    "VmBeingMigratedEvent", "VmFailedMigrateEvent", "VmRelocatedEvent",
                    "VmRelocateFailedEvent", "VmEmigratingEvent"]
MAX_LIMIT = 1000



@dataclass(frozen=True)
class TaskSummary:
    """One task as the Tasks tab shows it."""

    key: str
    name: str
    target: str
    state: str
    started: object = None
    ended: object = None
    result: str = ""
    error: object = field(default=None, repr=False, compare=False)

    def row(self) -> list[str]:
        """Return the task as a table row."""
        return [self.name, self.target, self.state, when(self.started), when(self.ended),
                self.result]

    def __str__(self) -> str:
        return f"{self.name} ({self.target}): {self.state}, {self.result} [{self.key}]"


@dataclass(frozen=True)
class MigrationEvent:
    """One migration event, with its source and destination."""

    key: int
    time: object
    kind: str
    vm: str
    source_host: str
    source_datastore: str
    destination_host: str
    destination_datastore: str
    message: str
    note: str = ""
    emulated: bool = False

    def __str__(self) -> str:
        return f"{self.message} ({self.note})" if self.note else self.message

    def row(self) -> list[str]:
        """Return the event as a table row."""
        return [when(self.time), starred(self.kind, self.emulated), self.vm,
                f"{self.source_host}, {self.source_datastore}",
                f"{self.destination_host}, {self.destination_datastore}", self.note]


@dataclass(repr=False)
class TaskList(Table):
    """The Tasks tab: a table, with the TaskSummary items in `.items`."""

    items: list[TaskSummary] = field(default_factory=list)


@dataclass(repr=False)
class EventList(Table):
    """Migration events: a table, with the MigrationEvent items in `.items`."""

    items: list[MigrationEvent] = field(default_factory=list)


def summarize(info, names: dict[str, str] | None = None) -> TaskSummary:
    """Return the TaskSummary of a TaskInfo (`names`: {moid: name} for vcsim's targets)."""
    target = info.entityName or ""
    if info.entity is not None and target == info.entity._moId:
        target = (names or {}).get(target, target)  # vcsim puts the moid here
    name = task_label(info)
    if info.state == "error":
        result = fault_text(info.error)
    elif info.state == "success":
        result = tr("completed", "terminée")
    else:
        result = ""
    return TaskSummary(info.key, name, target, str(info.state), info.startTime,
                       info.completeTime, result, info.error)


def tasks(lab, entity=None, limit: int = 10) -> TaskList:
    """Return the recent tasks, newest first: name, target, state, start, end, result.

    Args:
        entity: a VM, host, cluster or datastore (name or object) to list tasks of.
        limit: how many tasks at most (1 to 1000).

    govc: govc tasks -n LIMIT [PATH]. PowerCLI: Get-Task
    """
    limit = _limit(limit)
    spec = vim.TaskFilterSpec()
    target = None
    if entity is not None:
        target = _entity(lab, entity)
        spec.entity = vim.TaskFilterSpec.ByEntity(entity=target, recursion="self")
    collector = lab.conn.content.taskManager.CreateCollectorForTasks(spec)
    try:
        collector.SetCollectorPageSize(limit)
        infos = list(collector.latestPage or [])
    finally:
        collector.DestroyCollector()
    infos.sort(key=lambda i: (i.queueTime, i.key), reverse=True)
    names = _names(lab)
    items = [summarize(info, names) for info in infos[:limit]]
    title = tr("Recent tasks", "Tâches récentes")
    if target is not None:
        title += f": {names.get(target._moId, target._moId)}"
    return TaskList(title, [tr("task", "tâche"), tr("target", "cible"), tr("state", "état"),
                            tr("start", "début"), tr("end", "fin"),
                            tr("result", "résultat")], [t.row() for t in items], items=items)


def events(lab, vm=None, limit: int = 20) -> EventList:
    """Return the migration events (of one VM), newest first, with the right destination.

    govc: govc events -n LIMIT -type VmMigratedEvent VM_PATH. PowerCLI: Get-VIEvent -Entity V
    """
    limit = _limit(limit)
    spec = vim.event.EventFilterSpec(eventTypeId=MIGRATION_EVENTS, maxCount=MAX_LIMIT)
    if vm is not None:
        spec.entity = vim.event.EventFilterSpec.ByEntity(entity=lab.vm(vm), recursion="self")
    found = lab.conn.content.eventManager.QueryEvents(spec) or []
    items = _migration_rows(lab, found)[:limit]
    table = EventList(tr("Migration events", "Événements de migration"), [
        tr("time", "heure"), tr("event", "événement"), "VM", tr("from", "depuis"),
        tr("to", "vers"), tr("note", "remarque")], [e.row() for e in items], items=items)
    if any(e.emulated for e in items):
        table.notes.append(simulated_note())
    return table


class Arrival(NamedTuple):
    """Where a relocation task took a VM, as event arguments."""

    vm: object
    task: object                   # its TaskInfo
    host: object                   # vim.event.HostEventArgument
    datastore: object              # vim.event.DatastoreEventArgument
    cluster: object                # vim.event.ComputeResourceEventArgument


def record_migrations(lab, arrivals: list[Arrival]) -> list[MigrationEvent | None]:
    """Return the event of each finished relocation, in one query.

    vcsim's own event names the source as destination: where the answer shows that
    slip (it is checked, not guessed from the server's name), a corrected event is
    posted first (lablib.sim.emulation), and that one is returned.
    """
    if not arrivals:
        return []
    query = lab.conn.content.eventManager.QueryEvents
    spec = vim.event.EventFilterSpec(
        eventTypeId=MIGRATION_EVENTS, maxCount=MAX_LIMIT,
        time=vim.event.EventFilterSpec.ByTime(beginTime=min(a.task.startTime
                                                            for a in arrivals)))
    latest = {}
    for event in query(spec) or []:  # newest first
        if event.vm is not None and not emulation.is_correction(event):
            latest.setdefault(event.vm.vm._moId, event)
    corrected = set()
    for arrival in arrivals:
        event = latest.get(arrival.vm._moId)
        if (lab.backend == "vcsim" and event is not None
                and emulation.names_source_as_destination(event)
                and (event.host.host != arrival.host.host
                     or event.ds.datastore != arrival.datastore.datastore)):
            emulation.post_corrected_migration(lab.conn, event, arrival.host,
                                               arrival.datastore, arrival.cluster)
            corrected.add(event.key)
    posted = {emulation.corrected_key(e): e for e in query(spec) or []} if corrected else {}
    rows = []
    for arrival in arrivals:
        event = latest.get(arrival.vm._moId)
        if event is not None and event.key in corrected and event.key in posted:
            rows.append(_row(posted[event.key], note=_posted_note(), emulated=True))
        else:
            rows.append(_row(event) if event is not None else None)
    return rows


def _migration_rows(lab, found) -> list[MigrationEvent]:
    corrected = {emulation.corrected_key(e) for e in found} - {None}
    shown = [e for e in found if e.key not in corrected and e.vm is not None]
    inferred = {}
    if lab.backend == "vcsim":
        inferred = emulation.inferred_destinations(
            [e for e in shown if isinstance(e, vim.event.VmMigratedEvent)], _current(lab))
    rows = []
    for event in shown:
        if emulation.is_correction(event):
            rows.append(_row(event, note=_posted_note(), emulated=True))
        elif event.key in inferred:
            host, ds = inferred[event.key]
            rows.append(_row(event, host, ds, tr(
                "corrected by lablib: vcsim's event names the source as destination",
                "corrigé par lablib : l'événement de vcsim donne la source comme destination"),
                True))
        else:
            rows.append(_row(event))
    return rows


def _row(event, host: str | None = None, ds: str | None = None, note: str = "",
         emulated: bool = False) -> MigrationEvent:
    source_host = _name(getattr(event, "sourceHost", None))
    source_ds = _name(getattr(event, "sourceDatastore", None))
    dest_host = host or _name(getattr(event, "destHost", None) or event.host)
    dest_ds = ds or _name(getattr(event, "destDatastore", None) or event.ds)
    message = event.fullFormattedMessage or ""
    if host is not None:  # rebuilt as vCenter writes it (vsphere-facts.md §5)
        message = (f"Migration of virtual machine {event.vm.name} from {source_host}, "
                   f"{source_ds} to {dest_host}, {dest_ds} completed")
    return MigrationEvent(event.key, event.createdTime, type(event).__name__.split(".")[-1],
                          event.vm.name, source_host, source_ds, dest_host, dest_ds,
                          message, note, emulated)


def _posted_note() -> str:
    return tr("posted by lablib: vcsim's own event names the source as destination",
              "publié par lablib : l'événement de vcsim donne la source comme destination")


def _current(lab) -> dict[str, tuple[str, str]]:
    rows = lab.inventory.retrieve_many({"vm": ["runtime.host", "datastore"], "host": ["name"],
                                        "datastore": ["name"]})
    names = {r["obj"]._moId: r["name"] for kind in ("host", "datastore") for r in rows[kind]}
    return {r["obj"]._moId: (names.get(r["runtime.host"]._moId, ""),
                             names.get(r["datastore"][0]._moId, "") if r.get("datastore")
                             else "")
            for r in rows["vm"] if r.get("runtime.host") is not None}


def _names(lab) -> dict[str, str]:
    rows = lab.inventory.retrieve_many({kind: ["name"] for kind in KINDS})
    return {r["obj"]._moId: r["name"] for kind_rows in rows.values() for r in kind_rows}


def _entity(lab, entity):
    if isinstance(entity, vim.ManagedEntity):
        return entity
    for kind in ("vm", "host", "cluster", "datastore"):
        try:
            return lab.inventory.find(kind, entity)
        except NotFoundError:
            continue
    raise NotFoundError(f"No VM, host, cluster or datastore is named '{str(entity)[:60]}'. "
                        "Give the name of the object whose tasks you want.", "entity",
                        str(entity))


def _limit(limit) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit must be a whole number from 1 to {MAX_LIMIT}, got {limit!r}.")
    return limit


def _name(argument) -> str:
    return argument.name if argument is not None else ""

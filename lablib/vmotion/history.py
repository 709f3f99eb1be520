"""The course's "onglet Tâches": recent tasks, and migration events with where VMs went.

Tasks come from a TaskHistoryCollector (destroyed after each read: vcsim allows 32,
docs/vcsim-gaps.md §4(h)). Events come from EventManager.QueryEvents; the backend may
correct them (on the public vcsim image, whose VmMigratedEvent names the source as
destination, docs/vcsim-gaps.md §4(c)), and those rows say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from pyVmomi import vim

from ..errors import InputError, NotFoundError, fault_text
from ..inventory import KINDS
from ..table import Table
from ..tasks import task_label
from ..text import Text
from .display import simulated_note, starred, when

if TYPE_CHECKING:
    from ..session import Session

#: Event types of a migration (docs/vsphere-facts.md §5); the type filter also matches
#: subtypes on vcsim, but vCenter's behaviour is UNCONFIRMED, so DrsVmMigratedEvent is listed.
MIGRATION_EVENTS = ["VmMigratedEvent", "DrsVmMigratedEvent", "VmBeingHotMigratedEvent",
                    "VmBeingMigratedEvent", "VmFailedMigrateEvent", "VmRelocatedEvent",
                    "VmRelocateFailedEvent", "VmEmigratingEvent"]
MAX_LIMIT = 1000
#: The descriptionIds of a migration task (vCenter's, and vcsim's older one).
RELOCATIONS = ("VirtualMachine.relocate", "VirtualMachine.relocateVm", "VirtualMachine.migrate")

#: A task's state as the vSphere Client's Tasks tab writes it.
TASK_STATES = {"success": Text("Completed", "Terminée"), "error": Text("Failed", "Échec"),
               "running": Text("Running", "En cours"), "queued": Text("Queued", "En file")}


@dataclass(frozen=True)
class TaskSummary:
    """One task as the Tasks tab shows it."""

    key: str
    name: Text | str
    target: str
    state: str
    started: Any = None
    ended: Any = None
    result: Text | str = ""
    error: Any = field(default=None, repr=False, compare=False)
    kind: str = ""  # vCenter's descriptionId, e.g. "VirtualMachine.relocate"

    @property
    def relocation(self) -> bool:
        """Tell whether the task is a migration (RelocateVM_Task, MigrateVM_Task)."""
        return self.kind in RELOCATIONS

    @property
    def state_text(self) -> Text:
        """Return the state as the Tasks tab writes it."""
        return TASK_STATES.get(self.state, Text(self.state))

    def row(self) -> list[Any]:
        """Return the task as a table row."""
        return [self.name, self.target, self.state_text, when(self.started), when(self.ended),
                self.result]

    def __str__(self) -> str:
        return f"{self.name} ({self.target}): {self.state_text}, {self.result} [{self.key}]"


@dataclass(frozen=True)
class MigrationEvent:
    """One migration event, with its source and destination."""

    key: int
    time: Any
    kind: str
    vm: str
    source_host: str
    source_datastore: str
    destination_host: str
    destination_datastore: str
    message: str
    note: Text | str = ""
    simulated: bool = False

    def __str__(self) -> str:
        return f"{self.message} ({self.note})" if self.note else self.message

    def row(self) -> list[Any]:
        """Return the event as a table row."""
        return [when(self.time), starred(self.kind, self.simulated), self.vm,
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


class Arrival(NamedTuple):
    """A relocation that succeeded: the VM and its task's info."""

    vm: Any
    task: Any


class EventView(NamedTuple):
    """A migration event as lablib shows it: the server's, or corrected by the backend."""

    event: Any
    destination_host: str | None = None      # None: the event's own
    destination_datastore: str | None = None
    note: Text | str = ""
    simulated: bool = False


def summarize(info: Any, names: dict[str, str] | None = None) -> TaskSummary:
    """Return the TaskSummary of a TaskInfo (`names`: {moid: name} for vcsim's targets)."""
    target = info.entityName or ""
    if info.entity is not None and target == info.entity._moId:
        target = (names or {}).get(target, target)  # vcsim puts the moid here
    if info.state == "error":
        result: Text | str = fault_text(info.error)
    elif info.state == "success":
        result = Text("completed", "terminée")
    else:
        result = ""
    return TaskSummary(info.key, task_label(info), target, str(info.state), info.startTime,
                       info.completeTime, result, info.error, info.descriptionId or "")


def tasks(session: Session, entity: Any = None, limit: int = 10) -> TaskList:
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
        target = _entity(session, entity)
        spec.entity = vim.TaskFilterSpec.ByEntity(entity=target, recursion="self")
    collector = session.conn.content.taskManager.CreateCollectorForTasks(spec)
    try:
        collector.SetCollectorPageSize(limit)
        infos = list(collector.latestPage or [])
    finally:
        collector.DestroyCollector()
    infos.sort(key=lambda i: (i.queueTime, i.key), reverse=True)
    names = _names(session)
    items = [summarize(info, names) for info in infos[:limit]]
    title: Text = Text("Recent tasks", "Tâches récentes")
    if target is not None:
        title = Text("Recent tasks: {name}", "Tâches récentes : {name}",
                     name=names.get(target._moId, target._moId))
    return TaskList(title, [Text("task", "tâche"), Text("target", "cible"),
                            Text("state", "état"), Text("start", "début"), Text("end", "fin"),
                            Text("result", "résultat")], [t.row() for t in items],
                    empty=Text("no task", "aucune tâche"), items=items)


def events(session: Session, vm: Any = None, limit: int = 20) -> EventList:
    """Return the migration events (of one VM), newest first, with the right destination.

    govc: govc events -n LIMIT -type VmMigratedEvent VM_PATH. PowerCLI: Get-VIEvent -Entity V
    """
    limit = _limit(limit)
    spec = vim.event.EventFilterSpec(eventTypeId=MIGRATION_EVENTS, maxCount=MAX_LIMIT)
    if vm is not None:
        spec.entity = vim.event.EventFilterSpec.ByEntity(entity=session.vm(vm), recursion="self")
    found = session.conn.content.eventManager.QueryEvents(spec) or []
    items = [_row(view) for view in session.backend.migration_events(
        [e for e in found if e.vm is not None])][:limit]
    table = EventList(Text("Migration events", "Événements de migration"), [
        Text("time", "heure"), Text("event", "événement"), "VM", Text("from", "depuis"),
        Text("to", "vers"), Text("note", "remarque")], [e.row() for e in items],
        empty=Text("no migration event", "aucun événement de migration"), items=items)
    if any(e.simulated for e in items):
        table.notes.append(simulated_note())
    return table


def arrivals_events(session: Session, arrivals: list[Arrival]) -> dict[str, MigrationEvent]:
    """Return {VM moid: the migration event of its relocation}, in one query (or two)."""
    if not arrivals:
        return {}
    spec = vim.event.EventFilterSpec(
        eventTypeId=MIGRATION_EVENTS, maxCount=MAX_LIMIT,
        time=vim.event.EventFilterSpec.ByTime(beginTime=min(a.task.startTime
                                                            for a in arrivals)))
    query = session.conn.content.eventManager.QueryEvents
    found: list[Any] = [e for e in query(spec) or [] if e.vm is not None]
    if session.backend.after_relocations(arrivals, found):
        found = [e for e in query(spec) or [] if e.vm is not None]
    moved = {a.vm._moId for a in arrivals}
    latest: dict[str, MigrationEvent] = {}
    for view in session.backend.migration_events(found):  # newest first
        if isinstance(view.event, vim.event.VmMigratedEvent):
            latest.setdefault(_vm_moid(view.event), _row(view))
    return {moid: row for moid, row in latest.items() if moid in moved}


def _vm_moid(event: Any) -> str:
    return event.vm.vm._moId


def _row(view: EventView) -> MigrationEvent:
    event = view.event
    if hasattr(event, "destHost"):  # "being migrated", failed: the VM is still at the source
        source_host, source_ds = _name(event.host), _name(event.ds)
        dest_host, dest_ds = _name(event.destHost), _name(event.destDatastore)
    else:  # migrated, relocated: the VM is at the destination
        source_host = _name(getattr(event, "sourceHost", None))
        source_ds = _name(getattr(event, "sourceDatastore", None))
        dest_host, dest_ds = _name(event.host), _name(event.ds)
    dest_host = view.destination_host or dest_host
    dest_ds = view.destination_datastore or dest_ds
    message = event.fullFormattedMessage or ""
    if view.destination_host is not None:  # as vCenter writes it (docs/vsphere-facts.md §5)
        message = (f"Migration of virtual machine {event.vm.name} from {source_host}, "
                   f"{source_ds} to {dest_host}, {dest_ds} completed")
    return MigrationEvent(event.key, event.createdTime, type(event).__name__.split(".")[-1],
                          event.vm.name, source_host, source_ds, dest_host, dest_ds,
                          message, view.note, view.simulated)


def _names(session: Session) -> dict[str, str]:
    rows = session.inventory.retrieve_many({kind: ["name"] for kind in KINDS})
    return {r["obj"]._moId: r.get("name", "") for kind_rows in rows.values()
            for r in kind_rows}


def _entity(session: Session, entity: Any) -> Any:
    if isinstance(entity, vim.ManagedEntity):
        return entity
    for kind in ("vm", "host", "cluster", "datastore"):
        try:
            return session.inventory.find(kind, entity)
        except NotFoundError:
            continue
    raise NotFoundError(Text(
        "No VM, host, cluster or datastore is named '{name}'. Give the name of the object "
        "whose tasks you want.", "Aucune VM, aucun hôte, cluster ou datastore ne s'appelle "
        "'{name}'. Donnez le nom de l'objet dont vous voulez les tâches.",
        name=str(entity)[:60]), "entity", str(entity))


def _limit(limit: Any) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InputError(Text("limit must be a whole number from 1 to {top}, got {got}.",
                              "limit doit être un nombre entier de 1 à {top}, reçu {got}.",
                              top=MAX_LIMIT, got=repr(limit)[:40]))
    return limit


def _name(argument: Any) -> str:
    return argument.name if argument is not None else ""

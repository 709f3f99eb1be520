"""Run relocations at once, read where the VMs landed, and their migration events.

Every RelocateVM_Task of a batch starts before the first is awaited (one task each, as
DRS moves VMs in parallel); `wait_all` follows them all through one PropertyCollector.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import TaskFailed
from ..facts import Placement, power_state
from ..table import Table
from ..tasks import failure, wait_all
from ..text import Text, number
from .display import ShownAsTable
from .findings import migration_kind
from .history import Arrival, MigrationEvent, TaskSummary, arrivals_events, summarize
from .plan import Plan
from .spec import relocate_spec

if TYPE_CHECKING:
    from ..session import Session


@dataclass(frozen=True, repr=False)
class MigrationResult(ShownAsTable):
    """Where the VM was and is now, the task that moved it and its event."""

    vm: str
    kind: str
    before: Placement
    after: Placement
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
            state: Text = Text("nothing to do", "rien à faire")
        else:
            state = Text("{state} in {seconds} s", "{state} en {seconds} s",
                         state=self.task.state_text, seconds=number(self.seconds))
        table = Table(Text("Migration of {vm} ({kind}): {state}",
                           "Migration de {vm} ({kind}) : {state}", vm=self.vm,
                           kind=migration_kind(self.kind), state=state),
                      ["", Text("host", "hôte"), "datastore", Text("power", "alimentation")],
                      [[label, p.host, ", ".join(p.datastores), power_state(p.power_state)]
                       for label, p in ((Text("before", "avant"), self.before),
                                        (Text("after", "après"), self.after))])
        event = self.event
        if event is not None:   # in the notebook's words; vCenter's own message apart
            table.notes.append(Text(
                "Event: {kind}: {src} → {dst}", "Événement : {kind} : {src} → {dst}",
                kind=event.kind, src=f"{event.source_host}, {event.source_datastore}",
                dst=f"{event.destination_host}, {event.destination_datastore}"))
            table.notes.append(Text("vCenter: {message}", "vCenter : {message}",
                                    message=event.message))
            if event.note:
                table.notes.append(event.note)
        return table


def relocate(session: Session, plans: Sequence[Plan], priority: str = "defaultPriority",
             on_progress: Callable[..., Any] | None = None,
             timeout: float | None = None) -> list[MigrationResult | TaskFailed]:
    """Run the plans' relocations at once; return a MigrationResult or TaskFailed each."""
    session.backend.before_relocations(plans)
    specs = [relocate_spec(session.inventory, plan) for plan in plans]
    tasks = [plan.vm.RelocateVM_Task(spec=spec, priority=priority)
             for plan, spec in zip(plans, specs)]  # all at once: DRS-like parallel moves
    infos = wait_all(session.conn, tasks, timeout, on_progress, raise_on_error=False)
    snap = session.facts.snapshot()
    landed = {v.obj._moId: Placement(v.name, v.host, v.datastores, v.power_state)
              for v in snap.vms}
    done = [Arrival(plan.vm, info) for plan, info in zip(plans, infos)
            if info.state == "success"]
    events = arrivals_events(session, done)
    outcomes: list[MigrationResult | TaskFailed] = []
    for plan, info in zip(plans, infos):
        if info.state == "error":
            outcomes.append(failure(info))
            continue
        seconds = (info.completeTime - info.startTime).total_seconds() \
            if info.completeTime and info.startTime else 0.0
        move = plan.move
        before = Placement(move.vm.name, move.vm.host, tuple(move.vm.datastores),
                           move.vm.power_state)
        outcomes.append(MigrationResult(move.vm.name, move.kind, before,
                                        landed.get(plan.vm._moId, before), summarize(info),
                                        seconds,
                                        events.get(plan.vm._moId)))
    return outcomes

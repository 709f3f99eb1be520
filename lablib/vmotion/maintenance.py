"""Maintenance mode with evacuation: the course's "maintenance planifiée" use case.

EnterMaintenanceMode_Task completes once no powered-on VM is left on the host; it moves
none itself unless DRS is fully automated (docs/vsphere-facts.md §6). So lablib does what
an administrator does: it asks the server which hosts can take each powered-on VM
(CheckRelocate_Task, all at once), moves each to the least loaded of them, all at once
(one task each, as DRS does), reports the VMs that cannot move with the rules that keep
them (vCenter's NoMaintenanceModeDrsRecommendationForVM), and puts the host into
maintenance mode only when no powered-on VM is left on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import InputError, TaskFailed, fault_text
from ..table import Table
from ..tasks import wait
from ..text import Text
from .display import ShownAsTable, simulated_note
from .drs import ClusterModel
from .findings import Finding
from .migrate import check_wait_options, prechecks
from .plan import RuleFacts, Target, make_plan, rule_facts
from .relocation import MigrationResult, relocate

if TYPE_CHECKING:
    from ..facts import HostFacts, VmFacts
    from ..session import Session


@dataclass(frozen=True)
class BlockedVm:
    """A powered-on VM that keeps a host out of maintenance mode, and why."""

    vm: str
    reason: Text | str
    findings: dict[str, list[Finding]] = field(default_factory=dict, compare=False)


@dataclass(repr=False)
class MaintenanceReport(ShownAsTable):
    """What entering maintenance mode did: VMs moved, VMs blocking, whether it entered."""

    host: str
    moved: list[MigrationResult] = field(default_factory=list)
    blocked: list[BlockedVm] = field(default_factory=list)
    entered: bool = False
    stayed: list[str] = field(default_factory=list)  # VMs not running, left registered
    simulated: bool = False

    def table(self) -> Table:
        """Return the report as a table: one row per VM."""
        state = Text("in maintenance mode", "en mode maintenance") if self.entered else \
            Text("NOT in maintenance mode", "PAS en mode maintenance")
        rows: list[list[Any]] = [
            [r.vm, Text("moved", "déplacée"), f"{r.before.host} → {r.after.host}"]
            for r in self.moved]
        rows += [[b.vm, Text("blocks", "bloque"), b.reason] for b in self.blocked]
        rows += [[vm, Text("stays (not running)", "reste (pas sous tension)"), self.host]
                 for vm in self.stayed]
        table = Table(Text("{host}: {state}", "{host} : {state}", host=self.host, state=state),
                      ["VM", Text("outcome", "résultat"), Text("detail", "détail")], rows,
                      empty=Text("no VM on the host", "aucune VM sur l'hôte"))
        if self.simulated:
            table.notes.append(simulated_note())
        return table


def enter_maintenance(session: Session, host: Any, evacuate: bool = True, *,
                      on_progress: Callable[..., Any] | None = None,
                      timeout: float | None = None) -> MaintenanceReport:
    """Evacuate the host's powered-on VMs, then put it into maintenance mode.

    Args:
        host: the host (name or object).
        evacuate: move the powered-on VMs that can move, all at once, like DRS.
        on_progress: called with (task info, seconds elapsed) while they move.
        timeout: seconds to wait for the relocations and the maintenance task.

    Returns:
        A MaintenanceReport: `.moved`, `.blocked` (VMs that cannot move, and why),
        `.entered`. The host stays out of maintenance while a powered-on VM is left.

    govc: govc host.maintenance.enter HOST. PowerCLI: Set-VMHost -VMHost H -State Maintenance
    """
    if not isinstance(evacuate, bool):
        raise InputError(Text("evacuate must be True or False, got {got}.",
                              "evacuate doit être True ou False, reçu {got}.",
                              got=repr(evacuate)[:40]))
    check_wait_options(on_progress, timeout)
    obj = session.host(host)
    session.check_change("put into maintenance mode", obj)
    facts = rule_facts(session)
    snap = facts.snapshot
    here = snap.of(obj)
    report = MaintenanceReport(here.name, simulated=bool(session.backend.simulated),
                               stayed=[v.name for v in snap.vms if v.host == here.name
                                       and v.power_state != "poweredOn"])
    if here.in_maintenance:
        report.entered = True
        return report
    running = [v for v in snap.vms if v.host == here.name and v.power_state == "poweredOn"]
    if running and not evacuate:
        report.blocked = [BlockedVm(v.name, Text(
            "powered on; evacuate=False leaves it in place", "sous tension ; evacuate=False "
            "la laisse en place")) for v in running]
    elif running:
        _evacuate(session, facts, here, running, report, on_progress, timeout)
    if not report.blocked:
        wait(session.conn, obj.EnterMaintenanceMode_Task(timeout=0), timeout=timeout)
        report.entered = True
    return report


def exit_maintenance(session: Session, host: Any) -> None:
    """Take the host out of maintenance mode (nothing to do when it is not in it).

    govc: govc host.maintenance.exit HOST. PowerCLI: Set-VMHost -VMHost H -State Connected
    """
    obj = session.host(host)
    session.check_change("take out of maintenance mode", obj)
    if session.inventory.retrieve_one(obj, ["runtime.inMaintenanceMode"]).get(
            "runtime.inMaintenanceMode"):
        wait(session.conn, obj.ExitMaintenanceMode_Task(timeout=0))


def _evacuate(session: Session, facts: RuleFacts, here: HostFacts, running: list[VmFacts],
              report: MaintenanceReport, on_progress: Callable[..., Any] | None,
              timeout: float | None) -> None:
    refusals = _refusals(session, facts, here, running)

    def compatible(vm: VmFacts, host: HostFacts) -> bool:
        return (vm.name, host.name) in refusals and not refusals[vm.name, host.name]

    model = ClusterModel(session.inventory, facts.snapshot, here.cluster, compatible)
    plans = []
    for vm in sorted(running, key=lambda v: v.name):
        destination = next((h for h in model.by_load(avoid=here.name) if compatible(vm, h)),
                           None)
        if destination is None:
            refused = {host: found for (name, host), found in refusals.items()
                       if name == vm.name and found}
            report.blocked.append(BlockedVm(vm.name, _no_recommendation(vm.name, refused),
                                            refused))
            continue
        model.place(vm, destination)
        plans.append(make_plan(facts, Target(vm.obj, destination.obj)))
    for plan in plans:
        session.check_change("migrate", plan.vm, plan.host)
    for plan, outcome in zip(plans, relocate(session, plans, on_progress=on_progress,
                                             timeout=timeout)):
        if isinstance(outcome, TaskFailed):
            report.blocked.append(BlockedVm(plan.move.vm.name, fault_text(outcome.fault)))
        else:
            report.moved.append(outcome)


def _refusals(session: Session, facts: RuleFacts, here: HostFacts,
              running: list[VmFacts]) -> dict[tuple[str, str], list[Finding]]:
    """Return {(VM, host): the failed findings of moving it there}, checked all at once."""
    cluster = facts.snapshot.cluster(here.cluster)
    hosts = [h for h in facts.snapshot.hosts if cluster is not None and h.name in cluster.hosts
             and h.name != here.name]
    pairs = [(vm, host) for vm in running for host in hosts]
    plans = [make_plan(facts, Target(vm.obj, host.obj)) for vm, host in pairs]
    return {(vm.name, host.name): checked.failures
            for (vm, host), checked in zip(pairs, prechecks(session, plans))}


def _no_recommendation(vm: str, refused: dict[str, list[Finding]]) -> Text:
    """Return vCenter's NoMaintenanceModeDrsRecommendationForVM reason, with the rules."""
    head = Text("No maintenance-mode DRS recommendation for {vm}: no other connected host is "
                "compatible with this virtual machine.", "Aucune recommandation DRS de mode "
                "maintenance pour {vm} : aucun autre hôte connecté n'est compatible avec cette "
                "machine virtuelle.", vm=vm)
    details = [Text("{host}: {why}", "{host} : {why}", host=host, why=failures[0].message)
               for host, failures in sorted(refused.items())]
    return Text.join(" ", [head, *details])

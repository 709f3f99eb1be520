"""Maintenance mode with evacuation: the course's "maintenance planifiée" use case.

On vCenter, EnterMaintenanceMode_Task completes once no powered-on VM is left; with DRS
it is DRS that moves them (vsphere-facts.md §6). vcsim's maintenance mode moves nothing
and refuses nothing (vcsim-gaps.md §4(e)). So lablib plays DRS on both targets: every
powered-on VM that passes the migration rules goes to the least loaded compatible host,
all relocations at once (one task each); the VMs that cannot move are reported with the
rules that keep them (vCenter's NoMaintenanceModeDrsRecommendationForVM), and the host
enters maintenance mode only when no powered-on VM is left on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import scope
from ..errors import InputError, TaskFailed
from ..i18n import tr
from ..table import Table
from ..tasks import fault_text, wait
from .display import ShownAsTable, simulated_note
from .drs import ClusterModel
from .relocation import MigrationResult, relocate
from .plan import Target, make_plan, rule_facts


@dataclass(frozen=True)
class BlockedVm:
    """A powered-on VM that keeps a host out of maintenance mode, and why."""

    vm: str
    reason: str
    findings: dict = field(default_factory=dict, compare=False)  # host -> failed findings


@dataclass(repr=False)
class MaintenanceReport(ShownAsTable):
    """What entering maintenance mode did: VMs moved, VMs blocking, whether it entered."""

    host: str
    moved: list[MigrationResult] = field(default_factory=list)
    blocked: list[BlockedVm] = field(default_factory=list)
    entered: bool = False
    stayed: list[str] = field(default_factory=list)  # VMs not running, left registered
    emulated: bool = False

    def table(self) -> Table:
        """Return the report as a table: one row per VM."""
        state = tr("in maintenance mode", "en mode maintenance") if self.entered else \
            tr("NOT in maintenance mode", "PAS en mode maintenance")
        rows = [[r.vm, tr("moved", "déplacée"), f"{r.before.host} → {r.after.host}"]
                for r in self.moved]
        rows += [[b.vm, tr("blocks", "bloque"), b.reason] for b in self.blocked]
        rows += [[vm, tr("stays (not running)", "reste (pas sous tension)"), self.host]
                 for vm in self.stayed]
        table = Table(f"{self.host}: {state}", ["VM", tr("outcome", "résultat"),
                                                 tr("detail", "détail")], rows)
        if self.emulated:
            table.notes.append(tr(
                "* evacuation simulated by lablib: vcsim's maintenance mode moves no VM.",
                "* évacuation simulée par lablib : le mode maintenance de vcsim ne déplace "
                "aucune VM."))
            table.notes.append(simulated_note())
        return table


def enter_maintenance(lab, host, evacuate: bool = True, *, on_progress=None,
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
        raise InputError(f"evacuate must be True or False, got {evacuate!r}.")
    obj = lab.host(host)
    scope.check_change(lab, "put into maintenance mode", obj)
    facts = rule_facts(lab)
    snap = facts.snapshot
    here = next(h for h in snap.hosts if h.obj == obj)
    report = MaintenanceReport(here.name, emulated=lab.backend == "vcsim",
                               stayed=[v.name for v in snap.vms if v.host == here.name
                                       and v.power_state != "poweredOn"])
    if here.in_maintenance:
        report.entered = True
        return report
    running = [v for v in snap.vms if v.host == here.name and v.power_state == "poweredOn"]
    if running and not evacuate:
        report.blocked = [BlockedVm(v.name, tr(
            "powered on; evacuate=False leaves it in place", "sous tension ; evacuate=False "
            "la laisse en place")) for v in running]
    elif running:
        _evacuate(lab, facts, here, running, report, on_progress, timeout)
    if not report.blocked:
        wait(lab.conn, obj.EnterMaintenanceMode_Task(timeout=0), timeout=timeout)
        report.entered = True
    return report


def exit_maintenance(lab, host) -> None:
    """Take the host out of maintenance mode (nothing to do when it is not in it).

    govc: govc host.maintenance.exit HOST. PowerCLI: Set-VMHost -VMHost H -State Connected
    """
    obj = lab.host(host)
    scope.check_change(lab, "take out of maintenance mode", obj)
    if lab.inventory.retrieve_one(obj, ["runtime.inMaintenanceMode"]).get(
            "runtime.inMaintenanceMode"):
        wait(lab.conn, obj.ExitMaintenanceMode_Task(timeout=0))


def _evacuate(lab, facts, here, running, report, on_progress, timeout) -> None:
    cluster = facts.snapshot.cluster(here.cluster)
    model = ClusterModel(lab, facts, cluster.name) if cluster else None
    plans = []
    for vm in sorted(running, key=lambda v: v.name):
        destination, refused = model.place(vm, avoid=here.name) if model else (None, {})
        if destination is None:
            report.blocked.append(BlockedVm(vm.name, _no_recommendation(vm.name, refused),
                                            refused))
            continue
        plans.append(make_plan(facts, Target(vm.obj, destination.obj)))
    for plan in plans:
        scope.check_change(lab, "migrate", plan.vm, plan.host)
    for plan, outcome in zip(plans, relocate(lab, plans, on_progress=on_progress,
                                             timeout=timeout)):
        if isinstance(outcome, TaskFailed):
            report.blocked.append(BlockedVm(plan.move.vm.name, fault_text(outcome.fault)))
        else:
            report.moved.append(outcome)


def _no_recommendation(vm: str, refused: dict) -> str:
    """Return vCenter's NoMaintenanceModeDrsRecommendationForVM reason, with the rules."""
    head = tr(f"No maintenance-mode DRS recommendation for {vm}: no other connected host is "
              "compatible with this virtual machine.",
              f"Aucune recommandation DRS de mode maintenance pour {vm} : aucun autre hôte "
              "connecté n'est compatible avec cette machine virtuelle.")
    details = [f"{host}: {failures[0].message}" for host, failures in sorted(refused.items())]
    return " ".join([head, *details])

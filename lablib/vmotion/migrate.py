"""Migrate a VM, compute only, storage only or both, after vCenter's rules.

One method for every kind, RelocateVM_Task (vcsim has no MigrateVM_Task,
vcsim-gaps.md §4(c)); the kind follows from the arguments (vsphere-facts.md §3):

| call                                   | kind            | govc                          |
|----------------------------------------|-----------------|-------------------------------|
| migrate(vm, host="ESXi_2")             | compute         | govc vm.migrate -host H VM    |
| migrate(vm, datastore="SharedDS")      | storage         | govc vm.migrate -ds DS VM     |
| migrate(vm, host=..., datastore=...)   | compute+storage | govc vm.migrate -host H -ds DS VM |

lablib's rules run first on both targets (lablib.vmotion.rules); a refused migration
raises MigrationRefused and changes nothing. The result is read back from the VM itself
(`runtime.host`, `datastore`), never from `host.vm` (vcsim-gaps.md §4(c)).
"""

from __future__ import annotations

from collections.abc import Callable

from .. import scope
from ..errors import InputError, MigrationRefused, TaskFailed
from ..tasks import fault_text
from .checkrelocate import vcenter_findings
from .findings import Precheck
from .plan import Plan, make_plan, resolve, rule_facts
from .relocation import MigrationResult, placement_of, relocate

__all__ = ["precheck", "migrate", "MigrationResult"]

PRIORITIES = ("defaultPriority", "highPriority", "lowPriority")


def precheck(lab, vm, host=None, datastore=None, network=None) -> Precheck:
    """Check a migration against vCenter's rules without migrating.

    Returns:
        A Precheck: one Finding per rule (`.ok`, `.failures`, `.kind`); on a real
        vCenter, `.vcenter` holds what vCenter's own CheckRelocate_Task says.

    govc: none (the checks run inside govc vm.migrate). PowerCLI: none (Move-VM checks).
    """
    plan = make_plan(rule_facts(lab), resolve(lab, vm, host, datastore, network))
    extra = vcenter_findings(lab, plan) if lab.backend == "vcenter" and plan.moves else None
    return precheck_of(plan, lab.backend, extra)


def migrate(lab, vm, host=None, datastore=None, network=None, priority="defaultPriority",
            on_progress: Callable | None = None, timeout: float | None = None):
    """Migrate a VM to another host, datastore or both, as vCenter would.

    Args:
        vm: the VM (name, path, id or object).
        host: the destination host (compute); None keeps the host.
        datastore: the datastore every file and disk moves to (storage); None keeps them.
        network: the network every network adapter moves to; None keeps them.
        priority: "defaultPriority", "highPriority" or "lowPriority".
        on_progress: called with (task info, seconds elapsed) while the task runs.
        timeout: seconds to wait at most.

    Returns:
        A MigrationResult: `.before`, `.after` (Placements), `.task`, `.seconds`, `.event`.

    Raises:
        MigrationRefused: a rule refuses it; `.fault` is the pyVmomi fault vCenter raises
            and `.findings` every finding. Nothing was changed.
        InputError, NotFoundError: an argument names nothing usable.

    govc: govc vm.migrate [-host H] [-ds DS] [-net NET] VM.
    PowerCLI: Move-VM -VM V [-Destination (Get-VMHost H)] [-Datastore DS]
    """
    _check_options(priority, on_progress, timeout)
    target = resolve(lab, vm, host, datastore, network)
    scope.check_change(lab, "migrate", *target.objects)
    plan = make_plan(rule_facts(lab), target)
    refused = precheck_of(plan, lab.backend).refusal()
    if refused is not None:
        raise refused
    if not plan.moves:
        where = placement_of(plan.move.vm)
        return MigrationResult(where.vm, plan.move.kind, where, where)
    outcome = relocate(lab, [plan], priority, on_progress, timeout)[0]
    if isinstance(outcome, TaskFailed):
        raise MigrationRefused(f"The server refused the migration of '{plan.move.vm.name}': "
                               f"{fault_text(outcome.fault)}", outcome.fault, plan.findings)
    return outcome


def precheck_of(plan: Plan, backend: str, vcenter=None) -> Precheck:
    """Return the Precheck of a plan."""
    move = plan.move
    return Precheck(plan.findings, vm=move.vm.name, kind=move.kind, source=move.source.name,
                    destination=move.destination.name,
                    datastore=move.target.name if move.target else "", backend=backend,
                    vcenter=vcenter)


def _check_options(priority, on_progress, timeout) -> None:
    if priority not in PRIORITIES:
        raise InputError(f"Unknown priority {str(priority)[:40]!r}. Priorities: "
                         f"{', '.join(PRIORITIES)}.")
    if on_progress is not None and not callable(on_progress):
        raise InputError("on_progress must be a function of (task info, seconds elapsed), "
                         f"got {type(on_progress).__name__}.")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(
            timeout, (int, float)) or not 0 < timeout < float("inf")):
        raise InputError(f"timeout must be a positive number of seconds, got {timeout!r}.")


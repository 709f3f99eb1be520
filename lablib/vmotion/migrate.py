"""Migrate a VM, compute only, storage only or both, as the vSphere Client does.

One method for every kind, RelocateVM_Task; the kind follows from the arguments
(docs/vsphere-facts.md §3):

| call                                   | kind            | govc                          |
|----------------------------------------|-----------------|-------------------------------|
| migrate(vm, host="ESXi_2")             | compute         | govc vm.migrate -host H VM    |
| migrate(vm, datastore="SharedDS")      | storage         | govc vm.migrate -ds DS VM     |
| migrate(vm, host=..., datastore=...)   | compute+storage | govc vm.migrate -host H -ds DS VM |

Like the Migrate dialog, the server's compatibility check (CheckRelocate_Task) runs first:
a refusal raises MigrationRefused, explained rule by rule, and changes nothing. The
server decides; if the task itself then fails, its fault is explained the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..backend import Verdict
from ..errors import InputError, MigrationRefused, TaskFailed
from ..text import Text
from . import rules
from .findings import Precheck, refusal_text
from .plan import Plan, make_plan, resolve, rule_facts
from .relocation import MigrationResult, relocate

if TYPE_CHECKING:
    from ..session import Session

__all__ = ["MigrationResult", "migrate", "precheck", "prechecks"]

PRIORITIES = ("defaultPriority", "highPriority", "lowPriority")


def precheck(session: Session, vm: Any, host: Any = None, datastore: Any = None,
             network: Any = None) -> Precheck:
    """Check a migration without migrating: the server's verdict, explained rule by rule.

    Returns:
        A Precheck: one Finding per rule (`.ok`, `.failures`, `.kind`).

    govc: none (govc vm.migrate runs the same checks). PowerCLI: none (Move-VM checks).
    """
    plan = make_plan(rule_facts(session), resolve(session, vm, host, datastore, network))
    return prechecks(session, [plan])[0]


def prechecks(session: Session, plans: Sequence[Plan]) -> list[Precheck]:
    """Return the Precheck of each plan; the server checks them all at once."""
    moving = [plan for plan in plans if plan.move.changes]
    verdicts = dict(zip(map(id, moving), session.backend.check_relocations(moving)))
    simulated = bool(session.backend.simulated)
    found = []
    for plan in plans:
        move = plan.move
        verdict = verdicts.get(id(plan), Verdict())
        found.append(Precheck(
            rules.findings(move, verdict, simulated), vm=move.vm.name, kind=move.kind,
            source=move.source.name, destination=move.destination.name,
            datastore=move.target.name if move.target else "", simulated=simulated,
            first=verdict.errors[0] if verdict.errors else None))
    return found


def migrate(session: Session, vm: Any, host: Any = None, datastore: Any = None,
            network: Any = None, priority: str = "defaultPriority",
            on_progress: Callable[..., Any] | None = None,
            timeout: float | None = None) -> MigrationResult:
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
        MigrationRefused: the server refuses it; `.fault` is its fault and `.findings`
            every finding, explained. Nothing was changed.
        InputError, NotFoundError: an argument names nothing usable.

    govc: govc vm.migrate [-host H] [-ds DS] [-net NET] VM.
    PowerCLI: Move-VM -VM V [-Destination (Get-VMHost H)] [-Datastore DS]
    """
    check_options(priority, on_progress, timeout)
    target = resolve(session, vm, host, datastore, network)
    session.check_change("migrate", *target.objects)
    plan = make_plan(rule_facts(session), target)
    checked = prechecks(session, [plan])[0]
    refused = checked.refusal()
    if refused is not None:
        raise refused
    if not plan.move.changes:
        where = session.facts.placement(plan.vm)
        return MigrationResult(where.vm, plan.move.kind, where, where)
    outcome = relocate(session, [plan], priority, on_progress, timeout)[0]
    if isinstance(outcome, TaskFailed):
        raise refusal_of(plan, outcome.fault, bool(session.backend.simulated))
    return outcome


def refusal_of(plan: Plan, fault: Any, simulated: bool) -> MigrationRefused:
    """Return the MigrationRefused for a relocation task that ended in `fault`."""
    found = rules.findings(plan.move, Verdict((fault,)), simulated)
    failed = [f for f in found if not f.ok]
    headline = Text("The server refused the migration of {vm}",
                    "Le serveur a refusé la migration de {vm}", vm=plan.move.vm.name)
    return MigrationRefused(refusal_text(headline, failed), fault, found)


def check_options(priority: Any, on_progress: Any, timeout: Any) -> None:
    """Refuse, before anything changes, a priority, callback or timeout that cannot work."""
    if priority not in PRIORITIES:
        raise InputError(Text("Unknown priority {got}. Priorities: {known}.",
                              "Priorité inconnue : {got}. Priorités : {known}.",
                              got=repr(str(priority)[:40]), known=", ".join(PRIORITIES)))
    check_wait_options(on_progress, timeout)


def check_wait_options(on_progress: Any, timeout: Any) -> None:
    """Refuse a progress callback that is not a function or a timeout that is not positive."""
    if on_progress is not None and not callable(on_progress):
        raise InputError(Text(
            "on_progress must be a function of (task info, seconds elapsed), got {kind}.",
            "on_progress doit être une fonction de (infos de la tâche, secondes écoulées), "
            "reçu {kind}.", kind=type(on_progress).__name__))
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(
            timeout, (int, float)) or not 0 < timeout < float("inf")):
        raise InputError(Text("timeout must be a positive number of seconds, got {got}.",
                              "timeout doit être un nombre de secondes positif, reçu {got}.",
                              got=repr(timeout)[:40]))

"""What a migration precheck finds: one Finding per rule, gathered in a Precheck.

A Finding says whether a rule holds, in the notebook's language, with the fix and the
course prerequisite it enforces. A failed one carries the pyVmomi fault vCenter raises
for that problem, with an English message in the course's words. On a real vCenter a
Precheck also holds what vCenter's own CheckRelocate_Task says (`.vcenter`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import MigrationRefused
from ..i18n import tr
from ..table import Report, Table
from .display import FAIL, OK, WARN, simulated_note, starred


def make_fault(kind, **fields):
    """Return the pyVmomi fault `kind` with `fields`, leaving out the unknown (None) ones."""
    known = {name: [v for v in value if v is not None] if isinstance(value, list) else value
             for name, value in fields.items() if value is not None}
    return kind(**known)


@dataclass(frozen=True)
class Finding:
    """One rule checked for one migration."""

    rule: str
    ok: bool
    message: str
    fix: str = ""
    prerequisite: str = ""
    fault: object = field(default=None, repr=False, compare=False)
    emulated: bool = False
    source: str = "lablib"          # "lablib", or "vCenter" for CheckRelocate_Task's results
    objects: tuple[str, ...] = ()   # the hosts, datastores and networks it is about
    warning: bool = False           # vCenter's warnings: noted, not blocking
    english: tuple[str, str, str] = field(default=("", "", ""), repr=False, compare=False)

    def __str__(self) -> str:
        mark = OK if self.ok else FAIL
        fix = f" {tr('Fix', 'Correction')}: {self.fix}" if self.fix and not self.ok else ""
        return f"{mark} {starred(self.rule, self.emulated)}: {self.message}{fix}"

    def sentence(self) -> str:
        """Return the finding in English, for exception messages."""
        message, fix, prerequisite = self.english
        text = message or self.message
        if fix:
            text += f" Fix: {fix}"
        if prerequisite:
            text += f" (Course prerequisite: {prerequisite}.)"
        return text


class Precheck(list):
    """The findings of a migration precheck; `.ok` when every rule holds."""

    def __init__(self, findings, *, vm: str, kind: str, source: str, destination: str,
                 datastore: str = "", backend: str = "vcsim", vcenter=None):
        super().__init__(findings)
        self.vm, self.kind = vm, kind
        self.source, self.destination, self.datastore = source, destination, datastore
        self.backend = backend
        self.vcenter = vcenter  # vCenter's CheckRelocate_Task findings, on a real vCenter

    @property
    def failures(self) -> list[Finding]:
        """Return lablib's findings that refuse the migration."""
        return [f for f in self if not f.ok]

    @property
    def ok(self) -> bool:
        """Tell whether the migration may go ahead (lablib's rules and vCenter's check)."""
        return not self.failures and not any(not f.ok for f in self.vcenter or [])

    @property
    def nothing_to_do(self) -> bool:
        """Tell whether the VM is already where it would go."""
        return any(f.rule == "destination" for f in self)

    @property
    def fault(self):
        """Return the fault vCenter would raise first, or None."""
        failed = self.failures or [f for f in self.vcenter or [] if not f.ok]
        return failed[0].fault if failed else None

    def refusal(self) -> MigrationRefused | None:
        """Return the MigrationRefused error for the failures, or None when all hold."""
        failed = self.failures
        if not failed:
            return None
        where = f"from {self.source} to {self.destination}" if self.source != \
            self.destination else f"on {self.source}"
        if self.datastore:
            where += f" (files to {self.datastore})"
        reasons = " Also: ".join(f.sentence() for f in failed)
        return MigrationRefused(f"Migration of '{self.vm}' {where} refused: {reasons}",
                                failed[0].fault, list(self))

    def tables(self) -> list[Table]:
        """Return lablib's findings (and vCenter's, on a vCenter) as tables."""
        route = f"{self.source} → {self.destination}"
        if self.datastore:
            route += f", {self.datastore}"
        title = tr(f"Precheck: {self.vm} ({self.kind}) {route}",
                   f"Vérifications : {self.vm} ({self.kind}) {route}")
        verdict = tr("migration allowed", "migration autorisée") if self.ok else \
            tr("migration refused", "migration refusée")
        rules = Table(f"{title}: {verdict}", [
            tr("rule", "règle"), "", tr("finding", "constat"), tr("fix", "correction"),
            tr("course prerequisite", "prérequis du cours")],
            [[starred(f.rule, f.emulated), OK if f.ok else FAIL, f.message,
              "" if f.ok else f.fix, f.prerequisite] for f in self])
        if any(f.emulated for f in self):
            rules.notes.append(simulated_note())
        if self.backend == "vcsim":
            rules.notes.append(tr(
                "vcsim's own CheckRelocate_Task always answers \"no problem\" "
                "(vcsim-gaps.md §4(d)): these are vCenter's rules, applied by lablib.",
                "Le CheckRelocate_Task de vcsim répond toujours « aucun problème » "
                "(vcsim-gaps.md §4(d)) : ce sont les règles de vCenter, appliquées par "
                "lablib."))
        tables = [rules]
        if self.vcenter is not None:
            tables.append(Table(tr("vCenter's own check (CheckRelocate_Task)",
                                   "La vérification de vCenter (CheckRelocate_Task)"),
                                ["", tr("finding", "constat")],
                                [[WARN if f.warning else (OK if f.ok else FAIL), f.message]
                                 for f in self.vcenter]))
        return tables

    def __str__(self) -> str:
        return str(Report(self.tables()))

    def _repr_html_(self) -> str:
        return Report(self.tables())._repr_html_()

    def __repr__(self) -> str:
        state = "ok" if self.ok else f"{len(self.failures)} failure(s)"
        return f"<Precheck {self.vm} {self.kind} {self.source}→{self.destination}: {state}>"

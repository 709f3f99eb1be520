"""What a migration precheck finds: one Finding per rule, gathered in a Precheck.

A Finding says whether a rule holds, in the course's words and the notebook's language,
with the fix and the course prerequisite it enforces. A failed one carries the fault the
server returned (vCenter's, or the lab simulator's; lablib's own on the public vcsim
image, marked `simulated`), whose `msg` is vCenter's English message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..boxes import Item, error_box
from ..errors import MigrationRefused, fault_message, fault_name
from ..table import Report, Table
from ..text import Text, render
from .display import FAIL, OK, WARN, simulated_note, starred


@dataclass(frozen=True)
class Finding:
    """One rule checked for one migration."""

    rule: str
    ok: bool
    message: Text
    fix: Text | str = ""
    prerequisite: Text | str = ""
    fault: Any = field(default=None, repr=False, compare=False)
    simulated: bool = False         # decided by lablib's fallback, not by the server
    objects: tuple[str, ...] = ()   # the hosts, datastores and networks it is about
    warning: bool = False           # the server's warnings: noted, not blocking

    @property
    def fault_type(self) -> str:
        """Return the fault's type name ("" when the rule holds)."""
        return fault_name(self.fault) if self.fault is not None else ""

    @property
    def server_message(self) -> str:
        """Return vCenter's own (English) message for the fault, "" when none."""
        return fault_message(self.fault) if self.fault is not None else ""

    def line(self) -> Text:
        """Return the finding as one line: mark, rule, what is wrong or holds, the fix."""
        mark = WARN if self.warning else (OK if self.ok else FAIL)
        text = Text("{mark} {rule}: {message}", "{mark} {rule} : {message}", mark=mark,
                    rule=starred(rule_name(self.rule), self.simulated), message=self.message)
        fix = fix_text(self)
        return Text.join(" ", [text, fix]) if fix else text

    def __str__(self) -> str:
        return str(self.line())


class Precheck(list[Finding]):
    """The findings of a migration precheck; `.ok` when every rule holds."""

    def __init__(self, findings: list[Finding], *, vm: str, kind: str, source: str,
                 destination: str, datastore: str = "", simulated: bool = False,
                 first: Any = None):
        super().__init__(findings)
        self.vm, self.kind = vm, kind
        self.source, self.destination, self.datastore = source, destination, datastore
        self.simulated = simulated  # lablib's fallback decided, not the server
        self._first = first  # the server's own first error: the fault its task raises

    @property
    def failures(self) -> list[Finding]:
        """Return the findings that refuse the migration."""
        return [f for f in self if not f.ok]

    @property
    def warnings(self) -> list[Finding]:
        """Return the server's warnings (not blocking)."""
        return [f for f in self if f.warning]

    @property
    def ok(self) -> bool:
        """Tell whether the migration may go ahead."""
        return not self.failures

    @property
    def nothing_to_do(self) -> bool:
        """Tell whether the VM is already where it would go."""
        return any(f.rule == "destination" for f in self)

    @property
    def fault(self) -> Any:
        """Return the fault the server raises first (its task's error), or None."""
        failed = self.failures
        if not failed:
            return None
        return self._first if self._first is not None else failed[0].fault

    def route(self) -> Text:
        """Return "vm-shared: ESXi_1 → ESXi_2, SharedDS" for titles and messages."""
        where = f"{self.source} → {self.destination}"
        if self.datastore:
            where += f", {self.datastore}"
        return Text("{vm} ({kind}) {where}", vm=self.vm, kind=migration_kind(self.kind),
                    where=where)

    def refusal(self) -> MigrationRefused | None:
        """Return the MigrationRefused error for the failures, or None when all hold."""
        failed = self.failures
        if not failed:
            return None
        return MigrationRefused(refusal_text(Text("Migration of {route} refused",
                                                  "Migration de {route} refusée",
                                                  route=self.route()), failed),
                                self.fault, list(self))

    def verdict(self) -> Text:
        """Return "migration allowed", "migration refused" or "nothing to do"."""
        if not self.ok:
            return Text("migration refused", "migration refusée")
        if self.nothing_to_do:
            return Text("nothing to do", "rien à faire")
        return Text("migration allowed", "migration autorisée")

    def tables(self) -> list[Table]:
        """Return the findings as a table, the server's check and its warnings included.

        Under it, each failure's fault type and the server's own message, as in the
        refusal block.
        """
        title = Text("Precheck: {route}: {verdict}", "Vérifications : {route} : {verdict}",
                     route=self.route(), verdict=self.verdict())
        rules = Table(title, [Text("rule", "règle"), "", Text("finding", "constat"),
                              Text("fix", "correction"),
                              Text("course prerequisite", "prérequis du cours")],
                      [[starred(rule_name(f.rule), f.simulated), WARN if f.warning else
                        (OK if f.ok else FAIL), f.message, "" if f.ok else f.fix,
                        f.prerequisite] for f in self])
        rules.notes.extend(Text("{mark} {rule}: {line}", "{mark} {rule} : {line}", mark=FAIL,
                                rule=rule_name(f.rule), line=server_line(f))
                           for f in self.failures if f.fault is not None)
        if self.simulated:
            rules.notes.append(simulated_note())
        else:
            rules.notes.append(Text(
                "Verdict of the server's CheckRelocate_Task, explained by lablib.",
                "Verdict du CheckRelocate_Task du serveur, expliqué par lablib."))
        return [rules]

    def __str__(self) -> str:
        return str(Report(self.tables()))

    def _repr_html_(self) -> str:
        return Report(self.tables())._repr_html_()

    def __repr__(self) -> str:
        state = "ok" if self.ok else f"{len(self.failures)} failure(s)"
        return f"<Precheck {self.vm} {self.kind} {self.source}→{self.destination}: {state}>"


#: The rules' names as a student reads them (lablib.vmotion.rules.RULES ids).
RULE_NAMES = {
    "power-state": Text("power state", "état d'alimentation"),
    "destination": Text("destination", "destination"),
    "host-state": Text("destination host", "hôte de destination"),
    "vmotion-network": Text("vMotion network", "réseau vMotion"),
    "shared-storage": Text("shared storage", "stockage partagé"),
    "network": Text("VM networks", "réseaux de la VM"),
    "devices": Text("devices", "périphériques"),
    "target-datastore": Text("destination datastore", "datastore de destination"),
    "cpu": Text("CPU compatibility", "compatibilité CPU"),
    "evc": Text("EVC mode", "mode EVC"),
    "server": Text("other vCenter checks", "autres vérifications de vCenter"),
}


def rule_name(rule: str) -> Text:
    """Return a rule's name in the notebook's language ("shared storage")."""
    return RULE_NAMES.get(rule, Text(rule.replace("-", " ")))


def migration_kind(kind: str) -> Text:
    """Return a migration's kind as the vSphere Client names it."""
    return {"compute": Text("compute resource only", "ressource de calcul uniquement"),
            "storage": Text("storage only", "stockage uniquement"),
            "compute+storage": Text("compute resource and storage",
                                    "ressource de calcul et stockage")}.get(kind, Text(kind))


def refusal_text(headline: Text, failed: list[Finding]) -> Text:
    """Return a refusal as one short block: the headline, then each failed rule and its fix.

    vCenter's own (English) message follows each rule, with the fault's type, as the
    vSphere Client shows it. The block is a Text (the exception's message, the wizard's
    and the precheck's lines) that also renders as HTML (`.html()`, a red-bordered box).
    """
    return Refusal(headline, failed)


class Refusal(Text):
    """A refusal block, rendered as text or HTML in the notebook's language."""

    __slots__ = ("failed", "headline")

    def __init__(self, headline: Text, failed: list[Finding]):
        super().__init__("")
        self.headline, self.failed = headline, list(failed)

    def items(self, lang: str | None = None) -> list[Item]:
        """Return one entry per failed rule: what is wrong, the fix, the server's line."""
        return [Item(render(f.message, lang), render(fix_text(f), lang),
                     render(server_line(f), lang)) for f in self.failed]

    def render(self, lang: str | None = None) -> str:
        lines = [render(Text("{headline}:", "{headline} :", headline=self.headline), lang)]
        for item in self.items(lang):
            lines += [f"  ✘ {item.message}"] + [f"    {part}" for part in (item.fix, item.detail)
                                                if part]
        return "\n".join(lines)

    def html(self, lang: str | None = None) -> str:
        """Return the block as a red-bordered HTML box."""
        return error_box(render(self.headline, lang), self.items(lang))

    def _repr_html_(self) -> str:
        return self.html()


def fix_text(finding: Finding) -> Text | str:
    """Return "Fix: ..." for a failed finding that has a fix, else ""."""
    if finding.ok or not finding.fix:
        return ""
    return Text("Fix: {fix}", "Correction : {fix}", fix=finding.fix)


def server_line(finding: Finding) -> Text | str:
    """Return the fault's type and the server's own (English) message, "" without a fault."""
    if finding.fault is None:
        return ""
    msg = finding.server_message or finding.fault_type
    if finding.simulated:
        return Text("{kind} — vCenter (simulated by lablib): {msg}",
                    "{kind} — vCenter (simulé par lablib) : {msg}", kind=finding.fault_type,
                    msg=msg)
    return Text("{kind} — vCenter: {msg}", "{kind} — vCenter : {msg}",
                kind=finding.fault_type, msg=msg)

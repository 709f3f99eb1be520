"""What the Migrate dialog says: its pages, options and summaries, as the vSphere Client.

The wording follows the vSphere Client's Migrate dialog, in English and French; the
HTML pieces (the steps column, the compatibility panel, the summary and the result)
are built here from lablib's own objects, so the dialog itself only wires widgets.
"""

from __future__ import annotations

import html
from typing import Any

from lablib.boxes import GREEN, GREEN_BG, GREY, WRAP, line
from lablib.facts import power_state
from lablib.table import Table
from lablib.text import Text, number, render
from lablib.vmotion.history import TASK_STATES

#: Pages, in the dialog's order; which are shown depends on the migration type.
PAGES = ("type", "compute", "storage", "network", "priority", "ready")
PAGE_TITLES = {
    "type": Text("Select a migration type", "Sélectionner un type de migration"),
    "compute": Text("Select a compute resource", "Sélectionner une ressource de calcul"),
    "storage": Text("Select storage", "Sélectionner le stockage"),
    "network": Text("Select networks", "Sélectionner les réseaux"),
    "priority": Text("Select vMotion priority", "Sélectionner la priorité de vMotion"),
    "ready": Text("Ready to complete", "Prêt à terminer"),
}
PAGE_HINTS = {
    "type": Text("Change the virtual machines' compute resource, storage, or both.",
                 "Modifiez la ressource de calcul, le stockage des machines virtuelles, ou "
                 "les deux."),
    "compute": Text("Select a destination compute resource for this virtual machine "
                    "migration.", "Sélectionnez une ressource de calcul de destination pour "
                    "cette migration de machine virtuelle."),
    "storage": Text("Select the destination storage for the virtual machine migration.",
                    "Sélectionnez le stockage de destination pour la migration de la machine "
                    "virtuelle."),
    "network": Text("Select destination networks for the virtual machine migration.",
                    "Sélectionnez les réseaux de destination pour la migration de la machine "
                    "virtuelle."),
    "priority": Text("Select the priority of the migration.",
                     "Sélectionnez la priorité de la migration."),
    "ready": Text("Verify that the information is correct and click Finish.",
                  "Vérifiez que les informations sont correctes et cliquez sur Terminer."),
}

#: Migration types (lab.precheck(...).kind names), as the dialog words them.
KINDS = ("compute", "storage", "compute+storage")
KIND_OPTIONS = {
    "compute": Text("Change compute resource only", "Changer uniquement la ressource de calcul"),
    "storage": Text("Change storage only", "Changer uniquement le stockage"),
    "compute+storage": Text("Change both compute resource and storage",
                            "Changer à la fois la ressource de calcul et le stockage"),
}
#: vMotion priorities: lab.migrate's `priority` values.
PRIORITIES = ("highPriority", "lowPriority")
PRIORITY_OPTIONS = {
    "highPriority": Text("Schedule vMotion with high priority (recommended)",
                         "Planifier vMotion avec une priorité élevée (recommandé)"),
    "lowPriority": Text("Schedule regular vMotion", "Planifier une opération vMotion normale"),
}
PRIORITY_SHORT = {"highPriority": Text("high priority", "priorité élevée"),
                  "lowPriority": Text("regular priority", "priorité normale")}
BUTTONS = {
    "cancel": Text("Cancel", "Annuler"), "back": Text("Back", "Retour"),
    "next": Text("Next", "Suivant"), "finish": Text("Finish", "Terminer"),
    "again": Text("New migration", "Nouvelle migration"),
}
LABELS = {
    "host": Text("Destination host", "Hôte de destination"),
    "datastore": Text("Destination storage", "Stockage de destination"),
    "network": Text("Destination network", "Réseau de destination"),
}
CURRENT = Text("current host of the VM", "hôte actuel de la VM")
COMPATIBLE = Text("compatible", "compatible")
CHECKS_OK = Text("✔ Compatibility checks succeeded.",
                 "✔ Les vérifications de compatibilité ont réussi.")
CANCELLED = Text("Migration cancelled: nothing was changed.",
                 "Migration annulée : rien n'a été modifié.")


def incompatible(failures: int) -> Text:
    """Return the verdict of a destination that fails `failures` rules."""
    if failures == 1:
        return Text("incompatible (1 rule)", "incompatible (1 règle)")
    return Text("incompatible ({n} rules)", "incompatible ({n} règles)", n=failures)


def title_html(vm: str, lang: str | None) -> str:
    """Return the dialog's title bar: "vm-shared - Migrate"."""
    title = render(Text("{vm} — Migrate", "{vm} — Migrer", vm=vm), lang)
    return (f"<div style='font-size:15px;font-weight:600;padding:4px 0 6px 0;"
            f"border-bottom:1px solid #ccc'>{html.escape(title)}</div>")


def steps_html(pages: list[str], current: str, lang: str | None) -> str:
    """Return the numbered steps column: done steps grey, the current one bold."""
    rows = []
    at = pages.index(current)
    for n, page in enumerate(pages, start=1):
        style = "font-weight:700;color:#1a73e8;border-left:3px solid #1a73e8" \
            if page == current else ("color:#444;border-left:3px solid transparent"
                                     if n - 1 < at else
                                     "color:#999;border-left:3px solid transparent")
        rows.append(f"<div class='lablib-step' style='padding:3px 6px;{style};{WRAP}'>"
                    f"{n} {html.escape(render(PAGE_TITLES[page], lang))}</div>")
    return "<div style='min-width:15em'>" + "".join(rows) + "</div>"


def heading_html(page: str, number_: int, total: int, lang: str | None) -> str:
    """Return the page's title and the dialog's one-line explanation."""
    title = render(PAGE_TITLES[page], lang)
    hint = render(PAGE_HINTS[page], lang)
    return (f"<div class='lablib-page-title' style='font-size:14px;font-weight:600'>"
            f"{number_} {html.escape(title)}</div>"
            f"<div style='color:{GREY};margin-bottom:4px;{WRAP}'>{html.escape(hint)}</div>")


def placement_text(vm: Any) -> Text:
    """Return where a VM is now, from its facts."""
    return Text("{vm} runs on {host} ({power}); its files are on {files}.",
                "{vm} tourne sur {host} ({power}) ; ses fichiers sont sur {files}.",
                vm=vm.name, host=vm.host, power=power_state(vm.power_state),
                files=", ".join(vm.datastores) or Text("no datastore", "aucun datastore"))


def compatibility_html(verdict: Any, lang: str | None) -> str:
    """Return the page's compatibility panel for a Precheck (the server's verdict).

    Never "succeeded" next to "nothing to do": a VM already where it would go says so.
    """
    if verdict is None:
        return ""
    if verdict.nothing_to_do:
        message = next(f.message for f in verdict if f.rule == "destination")
        return line(render(Text("{message} Choose another destination.",
                                "{message} Choisissez une autre destination.",
                                message=message), lang), "#8a5a00", "#fff8e1",
                    "lablib-nothing-to-do")
    if not verdict.ok:
        return verdict.refusal().message.html(lang)
    out = line(render(CHECKS_OK, lang), GREEN, GREEN_BG, "lablib-compatible")
    for warning in verdict.warnings:
        out += line(render(Text("! {message}", message=warning.message), lang), "#8a5a00",
                    "#fff8e1", "lablib-warning")
    return out


def summary_table(vm: str, kind: str, choice: dict, vm_facts: Any) -> Table:
    """Return the "Ready to complete" summary: what the migration will do."""
    rows: list[list[Any]] = [[Text("Migration type", "Type de migration"), KIND_OPTIONS[kind]],
                             [Text("Virtual machine", "Machine virtuelle"), vm]]
    if "host" in choice:
        rows.append([Text("Host", "Hôte"), choice["host"]])
    if "datastore" in choice:
        rows.append([Text("Storage", "Stockage"), choice["datastore"]])
    if kind != "storage":
        networks = ", ".join(vm_facts.networks) if vm_facts else ""
        target = choice.get("network")
        rows.append([Text("Networks", "Réseaux"), Text("{old} → {new}", old=networks,
                                                       new=target) if target else
                     Text("{old} (unchanged)", "{old} (inchangé)", old=networks)])
        rows.append([Text("vMotion priority", "Priorité de vMotion"),
                     PRIORITY_OPTIONS[choice.get("priority", "highPriority")]])
    return Table(Text("Summary", "Récapitulatif"), [Text("setting", "paramètre"),
                                                     Text("value", "valeur")], rows)


def result_title(result: Any) -> Text:
    """Return "vm-shared migrated (compute resource only) in 0.1 s"."""
    from lablib.vmotion.findings import migration_kind

    return Text("{vm} migrated ({kind}) in {seconds} s",
                "{vm} migrée ({kind}) en {seconds} s", vm=result.vm,
                kind=migration_kind(result.kind), seconds=number(float(result.seconds)))


def task_line(task: Any) -> Text:
    """Return the task as the Recent Tasks pane shows it: name (target): state."""
    if task is None:
        return Text("Task: none", "Tâche : aucune")
    return Text("Task: {name} ({target}): {state}", "Tâche : {name} ({target}) : {state}",
                name=task.name, target=task.target,
                state=TASK_STATES.get(task.state, Text(task.state)))


def event_line(event: Any) -> Text:
    """Return the migration event in the notebook's language (vCenter's message apart)."""
    if event is None:
        return Text("Event: none", "Événement : aucun")
    return Text("Event: {kind}: {vm}, {src} → {dst}",
                "Événement : {kind} : {vm}, {src} → {dst}", kind=event.kind, vm=event.vm,
                src=f"{event.source_host}, {event.source_datastore}",
                dst=f"{event.destination_host}, {event.destination_datastore}")


def result_html(result: Any, lang: str | None) -> str:
    """Return the outcome: title, placement before and after, task and event lines."""
    rows = [[label, p.host, ", ".join(p.datastores), power_state(p.power_state)]
            for label, p in ((Text("before", "avant"), result.before),
                             (Text("after", "après"), result.after))]
    table = Table("", ["", Text("host", "hôte"), Text("datastores", "datastores"),
                       Text("power", "alimentation")], rows)
    server = ""
    if result.event is not None and result.event.message:
        said = Text("vCenter: {m}", "vCenter : {m}", m=result.event.message)
        server = (f"<div style='font-size:85%;color:{GREY};{WRAP}'>"
                  f"{html.escape(render(said, lang))}</div>")
    lines = "".join(f"<div style='{WRAP}'>{html.escape(render(text, lang))}</div>"
                    for text in (task_line(result.task), event_line(result.event)))
    return ("<div class='lablib-result'>"
            + line(render(result_title(result), lang), GREEN, GREEN_BG, "lablib-done", True)
            + table.html(lang) + lines + server + "</div>")


def result_text(result: Any) -> Text:
    """Return the outcome as plain lines (the wizard's log)."""
    return Text.join("\n", [result_title(result),
                            Text("  before: {p}", "  avant : {p}", p=_where(result.before)),
                            Text("  after: {p}", "  après : {p}", p=_where(result.after)),
                            Text.join("", ["  ", task_line(result.task)]),
                            Text.join("", ["  ", event_line(result.event)])])


def _where(p: Any) -> Text:
    return Text("{host} ({power}), {files}", host=p.host, power=power_state(p.power_state),
                files=", ".join(p.datastores))

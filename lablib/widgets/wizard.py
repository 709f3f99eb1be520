"""MigrationWizard: the vSphere Client's Migrate dialog, on top of lab.precheck/migrate.

Like the dialog (course: "Migrer > Changer uniquement la ressource de calcul > hôte >
réseau > Valider"; docs/teaching.md C4), it asks for the VM, the migration type,
then only the destinations that type needs (host, datastore, network), offered from
the live inventory. "Check" runs `lab.precheck(...)` and shows one row per rule,
green or red with the fix; "Migrate" is enabled only when the check of the current
choices passed, and any change of a choice disables it again. While
`lab.migrate(..., on_progress=...)` runs, a TaskProgress bar follows the task; then the
placement before → after and the task and event lines are shown, and the topology
picture draws the move.

Nothing depends on clicks: `select()`, `check()` and `migrate()` are plain methods a
cell (or a test, or nbval) calls; the buttons call them. Callbacks run synchronously in
the kernel (one migration at a time, the pyVmomi session is not shared with a thread:
docs/style.md §6) and every error lands in the wizard's Output
(lablib.widgets._log).
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from lablib.errors import InputError, OperationRefused
from lablib.plots._common import lang_of
from lablib.plots.topology import plot_topology
from lablib.precopy import format_number

from ._display import show_figure, widget_bundle
from ._log import captured, write
from .progress import TaskProgress

#: Migration types, as lab.precheck(...).kind names them.
KINDS = ("compute", "storage", "compute+storage")

_TEXT = {
    "en": {
        # vSphere Client wording (Migrate dialog, "Select a migration type").
        "compute": "Change compute resource only", "storage": "Change storage only",
        "compute+storage": "Change both compute resource and storage",
        "vm": "VM", "kind": "Migration type", "host": "Destination host",
        "datastore": "Destination storage", "network": "Destination network",
        "check": "Check", "migrate": "Migrate",
        "check_tip": "Run the vMotion prechecks for these choices",
        "migrate_tip": "Enabled when the check of the current choices passed",
        "passed": "Check passed: you can migrate.",
        "failed": "Check failed: fix the red rows, then check again.",
        "stale": "The choices changed: click Check again.",
        "rule": "rule", "status": "status", "finding": "finding", "fix": "fix",
        "simulated": "simulated by lablib", "vcenter": "vCenter's own check (CheckRelocate)",
        "before": "before", "after": "after", "placement": "placement",
        "result": "{vm} migrated ({kind}) in {seconds} s",
        "refused": "Migration refused: {why}",
        "not_checked": "Check the current choices first (the Check button or .check()); "
                       "Migrate is enabled only when that check passed.",
        "task": "task", "event": "event", "none": "(none)",
        "host_col": "host", "datastores_col": "datastores", "power_col": "power",
    },
    "fr": {
        # vSphere Client en français (boîte Migrer, « Sélectionner un type de migration »).
        "compute": "Changer uniquement la ressource de calcul",
        "storage": "Changer uniquement le stockage",
        "compute+storage": "Changer à la fois la ressource de calcul et le stockage",
        "vm": "VM", "kind": "Type de migration", "host": "Hôte de destination",
        "datastore": "Stockage de destination", "network": "Réseau de destination",
        "check": "Vérifier", "migrate": "Migrer",
        "check_tip": "Lancer les vérifications vMotion pour ces choix",
        "migrate_tip": "Actif quand la vérification des choix actuels a réussi",
        "passed": "Vérification réussie : vous pouvez migrer.",
        "failed": "Vérification échouée : corrigez les lignes rouges, puis vérifiez à nouveau.",
        "stale": "Les choix ont changé : cliquez à nouveau sur Vérifier.",
        "rule": "règle", "status": "état", "finding": "constat", "fix": "correction",
        "simulated": "simulé par lablib",
        "vcenter": "Vérification de vCenter (CheckRelocate)",
        "before": "avant", "after": "après", "placement": "emplacement",
        "result": "{vm} migrée ({kind}) en {seconds} s",
        "refused": "Migration refusée : {why}",
        "not_checked": "Vérifiez d'abord les choix actuels (bouton Vérifier ou .check()) ; "
                       "Migrer n'est actif que si cette vérification a réussi.",
        "task": "tâche", "event": "événement", "none": "(aucun)",
        "host_col": "hôte", "datastores_col": "datastores", "power_col": "alimentation",
    },
}
OK_BG, FAIL_BG = "#e8f5e9", "#fdecea"
OK_FG, FAIL_FG = "#1b5e20", "#b00020"
WARN_BG, WARN_FG = "#fff8e1", "#8a5a00"


class MigrationWizard:
    """Choose a VM and its destination, check, migrate, and see the result."""

    def __init__(self, lab, vm=None, *, dashboard=None, topology: bool = True,
                 lang: str | None = None, progress_mode: str = "auto"):
        """Read the inventory and build the dialog.

        Args:
            lab: a connected Lab.
            vm: the VM to start with (the lab's VM to migrate by default).
            dashboard: a LabDashboard to refresh after each migration.
            topology: draw the topology picture under the dialog.
            lang: "en" or "fr" (the notebook's language by default).
            progress_mode: TaskProgress mode ("auto", "widget" or "text").
        """
        self.lab = lab
        self.lang = lang_of(lang)
        self.dashboard = dashboard
        self.show_topology = topology
        self.snapshot = lab.facts.snapshot()
        self.checked = None          # the Precheck of `checked_choice`
        self.checked_choice = None
        self.result = None           # the last MigrationResult
        self.figure = None
        self.error: str | None = None
        self._updating = False
        text = _TEXT[self.lang]
        style = {"description_width": "11em"}
        names = [v.name for v in self.snapshot.vms]
        start = getattr(vm, "name", vm) or (lab.roles.vm if lab.roles.vm in names else None)
        if start is not None and start not in names:
            lab.vm(start)   # raises NotFoundError with the closest names
        self.vm = widgets.Dropdown(options=names, value=start or (names[0] if names else None),
                                   description=text["vm"], style=style, layout=_wide())
        self.kind = widgets.RadioButtons(options=[(text[k], k) for k in KINDS],
                                         value="compute", description=text["kind"],
                                         style=style, layout=_wide())
        self.host = widgets.Dropdown(description=text["host"], style=style, layout=_wide())
        self.datastore = widgets.Dropdown(description=text["datastore"], style=style,
                                          layout=_wide())
        self.network = widgets.Dropdown(description=text["network"], style=style,
                                        layout=_wide())
        self.check_button = widgets.Button(description=text["check"], icon="check",
                                           tooltip=text["check_tip"])
        self.migrate_button = widgets.Button(description=text["migrate"], icon="play",
                                             button_style="primary", disabled=True,
                                             tooltip=text["migrate_tip"])
        self.findings = widgets.HTML()
        self.progress = TaskProgress(mode=progress_mode, lang=self.lang)
        self.summary = widgets.HTML()
        self.picture = widgets.Output()
        self.output = widgets.Output()
        for control in (self.vm, self.kind, self.host, self.datastore, self.network):
            control.observe(self._on_choice, names="value")
        self.check_button.on_click(self._on_check)
        self.migrate_button.on_click(self._on_migrate)
        # Stable CSS classes: the browser test (and a curious student) find controls by them.
        for name in ("vm", "kind", "host", "datastore", "network", "findings", "summary",
                     "picture", "output"):
            getattr(self, name).add_class(f"lablib-{name}")
        self.check_button.add_class("lablib-check")
        self.migrate_button.add_class("lablib-migrate")
        self._box = widgets.VBox([
            self.vm, self.kind, self.host, self.datastore, self.network,
            widgets.HBox([self.check_button, self.migrate_button]),
            self.findings, self.progress.widget, self.summary, self.picture, self.output])
        self._box.add_class("lablib-wizard")
        self._offer()
        self._draw()

    @property
    def widget(self) -> widgets.VBox:
        """The box holding the dialog."""
        return self._box

    def _repr_mimebundle_(self, **kwargs):
        return widget_bundle(self._box, self.describe(), **kwargs)

    def __repr__(self) -> str:
        return f"<MigrationWizard {self.describe()}>"

    # -- plain methods: what the buttons do, callable from a cell or a test ----------------

    def choice(self) -> dict:
        """Return the lab.precheck/migrate arguments the controls describe."""
        kind = self.kind.value
        chosen = {"vm": self.vm.value}
        if kind in ("compute", "compute+storage"):
            chosen["host"] = self.host.value
            network = self.network.value
            if network and network not in self._vm_facts().networks:
                chosen["network"] = network   # keep the VM's network unless another is chosen
        if kind in ("storage", "compute+storage"):
            chosen["datastore"] = self.datastore.value
        return chosen

    def select(self, vm=None, kind: str | None = None, host=None, datastore=None,
               network=None) -> dict:
        """Set the controls as a user would, then return choice().

        Raises:
            InputError: a value the dialog does not offer.
        """
        for control, value in ((self.vm, vm), (self.kind, kind), (self.host, host),
                               (self.datastore, datastore), (self.network, network)):
            if value is None:
                continue
            value = getattr(value, "name", value)
            offered = [option[1] if isinstance(option, tuple) else option
                       for option in control.options]
            if value not in offered:
                raise InputError(f"{control.description} {value!r} is not offered here. "
                                 f"Offered: {', '.join(map(str, offered)) or 'none'}.")
            control.value = value
        return self.choice()

    def check(self):
        """Run lab.precheck() for the current choices, show it, and return it."""
        chosen = self.choice()
        precheck = self.lab.precheck(**chosen)
        # Read the inventory again for the picture: a cell may have changed the lab since
        # (enabled vMotion, configured EVC). The choices stay as the user made them.
        self.snapshot = self.lab.facts.snapshot()
        self.checked, self.checked_choice = precheck, chosen
        self.findings.value = findings_html(precheck, self.lang)
        self.migrate_button.disabled = not precheck.ok
        self._draw(findings=precheck)
        return precheck

    def migrate(self):
        """Migrate with the checked choices, following the task; return the result.

        Raises:
            InputError: the current choices were not checked, or the check failed.
            MigrationRefused: lablib's rules (or vCenter) refused the migration.
        """
        chosen = self.choice()
        if self.checked is None or chosen != self.checked_choice or not self.checked.ok:
            raise InputError(_TEXT[self.lang]["not_checked"])
        self.check_button.disabled = self.migrate_button.disabled = True
        try:
            result = self.progress.track(self.lab.migrate, **chosen)
        except OperationRefused as refused:
            if refused.findings:
                self.findings.value = findings_html(refused.findings, self.lang)
            self.summary.value = _line(_TEXT[self.lang]["refused"].format(why=refused),
                                       FAIL_FG)
            raise
        finally:
            self.check_button.disabled = False
            self.checked = self.checked_choice = None
        self.result = result
        self.findings.value = ""   # that check was for the placement the VM has left
        self._reload()
        self._draw(after=result)
        if self.dashboard is not None:
            self.dashboard.refresh()
        write(self.output, _result_text(result, self.lang))
        # Last: a frontend that shows the summary has received everything before it.
        self.summary.value = result_html(result, self.lang)
        return result

    def describe(self) -> str:
        """Return one line: the choices and the state of the check."""
        text = _TEXT[self.lang]
        chosen = ", ".join(f"{k}={v}" for k, v in self.choice().items())
        state = "" if self.checked is None else \
            " — " + (text["passed"] if self.checked.ok else text["failed"])
        return f"{text[self.kind.value]}: {chosen}{state}"

    # -- widget callbacks ------------------------------------------------------------------

    @captured
    def _on_check(self, button) -> None:
        self.check()

    @captured
    def _on_migrate(self, button) -> None:
        self.migrate()

    @captured
    def _on_choice(self, change) -> None:
        if self._updating:
            return
        if change["owner"] in (self.vm, self.kind, self.host):
            self._offer()
        self._invalidate()
        if change["owner"] is not self.network:
            self._draw()

    # -- internals -------------------------------------------------------------------------

    def _vm_facts(self):
        return self.snapshot.vm(self.vm.value)

    def _offer(self) -> None:
        """Offer the destinations the migration type needs, from the inventory."""
        vm = self._vm_facts()
        kind = self.kind.value
        self._updating = True
        try:
            hosts = [h.name for h in self.snapshot.hosts if vm is None or h.name != vm.host]
            _set_options(self.host, hosts)
            compute = kind in ("compute", "compute+storage")
            dest = self.snapshot.host(self.host.value if compute else (vm.host if vm else None))
            whole = set(vm.datastores) if vm and len(vm.datastores) == 1 else set()
            stores = [d.name for d in self.snapshot.datastores if d.name not in whole]
            reachable = [d for d in stores if dest and d in dest.datastores]
            _set_options(self.datastore, stores,   # one the destination host mounts
                         prefer=reachable[0] if reachable else None, keep=reachable)
            networks = list(dest.networks) if dest else []
            _set_options(self.network, networks,
                         prefer=next((n for n in (vm.networks if vm else ()) if n in networks),
                                     None))
        finally:
            self._updating = False
        storage = kind in ("storage", "compute+storage")
        for control, shown in ((self.host, compute), (self.network, compute),
                               (self.datastore, storage)):
            control.layout.display = "" if shown else "none"

    def _invalidate(self) -> None:
        """A choice changed: the last check no longer applies, Migrate is off."""
        self.migrate_button.disabled = True
        if self.checked is not None:
            self.findings.value = _line(_TEXT[self.lang]["stale"], "#555")
        self.checked = self.checked_choice = None

    def _reload(self) -> None:
        """Read the inventory again (after a migration) and offer destinations again."""
        self.snapshot = self.lab.facts.snapshot()
        self._offer()
        self._invalidate()

    def _draw(self, findings=None, after=None) -> None:
        """Redraw the topology: the chosen move, or the one just done."""
        if not self.show_topology or self.vm.value is None:
            return
        if after is not None:
            before, now = after.before, after.after
            source = {"host": before.host if before.host != now.host else None,
                      "datastore": [d for d in before.datastores if d not in now.datastores]}
            destination = {"host": now.host if before.host != now.host else None,
                           "datastore": [d for d in now.datastores if d not in before.datastores]}
            self.figure = plot_topology(self.snapshot, moving=after.vm if isinstance(
                after.vm, str) else self.vm.value, source=source, destination=destination,
                lang=self.lang)
        else:
            chosen = self.choice()
            self.figure = plot_topology(
                self.snapshot, moving=chosen["vm"],
                destination={"host": chosen.get("host"), "datastore": chosen.get("datastore")},
                findings=findings, lang=self.lang)
        show_figure(self.picture, self.figure, self.describe())


def _wide() -> widgets.Layout:
    """Return a new Layout: each control needs its own (hiding one must not hide all)."""
    return widgets.Layout(width="36em")


def _set_options(control, names: list[str], prefer: str | None = None,
                 keep: list[str] | None = None) -> None:
    """Replace a dropdown's options; keep its value if it is still offered (and in `keep`)."""
    value = control.value
    kept = value if value in names and (keep is None or value in keep) else None
    control.options = names
    control.value = kept or (prefer if prefer in names else (names[0] if names else None))


def _line(message: str, color: str) -> str:
    return f"<div style='color:{color}'><b>{html.escape(str(message))}</b></div>"


def findings_html(findings, lang: str | None = None) -> str:
    """Return a precheck's findings as an HTML table: green and red rows, with the fix.

    Args:
        findings: a lab.precheck() result, or a list of findings.
        lang: "en" or "fr".
    """
    text = _TEXT[lang_of(lang)]
    passed = getattr(findings, "ok", None)
    if passed is None:
        passed = all(getattr(f, "ok", False) for f in findings)
    verdict = _line(text["passed"] if passed else text["failed"], OK_FG if passed else FAIL_FG)
    html_out = verdict + _findings_table(findings, text)
    vcenter = getattr(findings, "vcenter", None)
    if vcenter is not None:   # CheckRelocate_Task's own results, on a real vCenter
        html_out += f"<div><b>{html.escape(text['vcenter'])}</b></div>" + \
            _findings_table(vcenter, text)
    return html_out


def _findings_table(findings, text) -> str:
    rows = []
    for f in findings:
        ok = bool(getattr(f, "ok", False))
        warning = bool(getattr(f, "warning", False))
        state, mark = ("warn", "⚠") if warning else (("ok", "✔") if ok else ("fail", "✘"))
        background, color = {"ok": (OK_BG, OK_FG), "fail": (FAIL_BG, FAIL_FG),
                             "warn": (WARN_BG, WARN_FG)}[state]
        rule = getattr(f, "prerequisite", "") or getattr(f, "rule", "")
        tag = f" <small><i>({text['simulated']})</i></small>" \
            if getattr(f, "simulated", False) else ""
        fix = "" if ok else html.escape(str(getattr(f, "fix", "") or ""))
        rows.append(
            f"<tr class='lablib-{state}' style='background:{background};color:{color}'>"
            f"<td>{mark}</td><td>{html.escape(str(rule))}{tag}</td>"
            f"<td>{html.escape(str(getattr(f, 'message', f)))}</td><td>{fix}</td></tr>")
    head = "".join(f"<th style='text-align:left'>{text[c]}</th>"
                   for c in ("status", "rule", "finding", "fix"))
    return (f"<table class='lablib-findings-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def result_html(result, lang: str | None = None) -> str:
    """Return a MigrationResult as HTML: the placement before → after, task and event."""
    text = _TEXT[lang_of(lang)]
    before, after = result.before, result.after
    rows = "".join(
        f"<tr><td>{text[label]}</td><td>{html.escape(p.host)}</td>"
        f"<td>{html.escape(', '.join(p.datastores))}</td><td>{html.escape(p.power_state)}"
        f"</td></tr>" for label, p in (("before", before), ("after", after)))
    lines = "".join(f"<div><b>{text[k]}</b>: {html.escape(str(v))}</div>"
                    for k, v in (("task", result.task or text["none"]),
                                 ("event", result.event or text["none"])))
    head = "".join(f"<th style='text-align:left'>{text[c]}</th>"
                   for c in ("placement", "host_col", "datastores_col", "power_col"))
    return (f"<div class='lablib-result'><b style='color:{OK_FG}'>"
            f"{html.escape(_title(result, lang_of(lang)))}</b>"
            f"<table><tr>{head}</tr>{rows}</table>{lines}</div>")


def _title(result, lang: str) -> str:
    vm = getattr(result.vm, "name", result.vm)
    text = _TEXT[lang]
    return text["result"].format(vm=vm, kind=text.get(result.kind, result.kind),
                                 seconds=format_number(float(result.seconds), 1, lang))


def _result_text(result, lang: str) -> str:
    text = _TEXT[lang]
    return "\n".join([_title(result, lang),
                      f"  {text['before']}: {result.before}",
                      f"  {text['after']}: {result.after}",
                      f"  {text['task']}: {result.task or text['none']}",
                      f"  {text['event']}: {result.event or text['none']}"])

"""MigrationWizard: the vSphere Client's Migrate dialog, page by page, over lab.migrate.

Like the dialog (course: "Migrer > Changer uniquement la ressource de calcul > hôte >
réseau > Valider"; docs/teaching.md C4) it is opened on one VM and walks its pages:

1. Select a migration type (compute resource, storage, or both);
2. Select a compute resource: every host with the server's compatibility verdict;
3. Select storage (only when the storage moves);
4. Select networks;
5. Select vMotion priority;
6. Ready to complete: a summary, then Finish.

Back, Next, Cancel and Finish behave as in the client. Each page re-reads the live
inventory when it is shown and shows the server's verdict for the current choice
(`lab.precheck`, CheckRelocate_Task); Next and Finish stay disabled while it refuses,
or while there is nothing to do (the VM is already where it would go: the page says
so). Finish reads the inventory and checks again before it calls `lab.migrate`, so a
change made meanwhile by another cell or another kernel is seen. While the task runs
a TaskProgress bar follows it; then the placement before and after, the task and the
event are shown.

Nothing depends on clicks: `select()`, `next()`, `back()`, `cancel()` and `finish()`
are plain methods a cell (or a test, or nbval) calls; the buttons call them. Callbacks
run synchronously in the kernel (one migration at a time; the pyVmomi session is not
shared with a thread: docs/style.md §6) and every error lands in the wizard's Output
(lablib.widgets._log).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from lablib.boxes import Shown, line
from lablib.errors import InputError, OperationRefused, quoted
from lablib.language import check_language
from lablib.plots.topology import plot_topology
from lablib.text import Text, render

from . import wizard_text as T
from ._display import show_figure, widget_bundle
from ._log import captured
from .progress import TaskProgress

if TYPE_CHECKING:
    from lablib.lab import Lab

#: The controls select() sets, by argument name.
CONTROLS = ("kind", "host", "datastore", "network", "priority")


class MigrationWizard:
    """The Migrate dialog of one VM: pages, compatibility checks, Finish, the result."""

    def __init__(self, lab: Lab, vm: Any = None, *, dashboard: Any = None, topology: bool = True,
                 lang: str | None = None, progress_mode: str = "auto"):
        """Read the inventory and open the dialog on its first page.

        Args:
            lab: a connected Lab.
            vm: the VM to migrate (the lab's VM to migrate by default).
            dashboard: a LabDashboard to refresh after each migration.
            topology: draw the topology picture under the dialog.
            lang: "en" or "fr" to force a language (the notebook's language by default).
            progress_mode: TaskProgress mode ("auto", "widget" or "text").

        Raises:
            NotFoundError: no VM of that name (the message gives the closest names).
        """
        self.lab = lab
        self.lang = None if lang is None else check_language(lang)
        self.dashboard = dashboard
        self.show_topology = topology
        self.snapshot = lab.facts.snapshot()
        name = getattr(vm, "name", vm) or lab.roles.vm
        if self.snapshot.vm(name) is None:
            lab.vm(name)   # raises NotFoundError with the closest names
        self.vm_name: str = name
        self.page = "type"
        self.verdict = None          # the Precheck of the current choice, on this page
        self.host_verdicts: dict[str, Any] = {}
        self.result = None           # the last MigrationResult
        self.figure: Figure | None = None
        self.error: str | None = None
        self.finished = False
        self._updating = False
        self._progress_mode = progress_mode
        self._build()
        self._show("type")

    # -- what a cell sees ---------------------------------------------------------------

    @property
    def widget(self) -> widgets.VBox:
        """The box holding the dialog."""
        return self._box

    def _repr_mimebundle_(self, **kwargs):
        return widget_bundle(self._box, self.describe(), **kwargs)

    def __repr__(self) -> str:
        return f"<MigrationWizard {self.describe()}>"

    def pages(self) -> list[str]:
        """Return the pages the chosen migration type shows, in order."""
        kind = self.kind.value
        compute, storage = kind != "storage", kind != "compute"
        return ["type"] + ["compute"] * compute + ["storage"] * storage + \
            ["network", "priority"] * compute + ["ready"]

    def choice(self) -> dict:
        """Return the lab.migrate arguments the pages describe."""
        kind = self.kind.value
        chosen: dict[str, Any] = {"vm": self.vm_name}
        if kind != "storage":
            chosen["host"] = self.host.value
            vm = self._vm()
            if self.network.value and (vm is None or self.network.value not in vm.networks):
                chosen["network"] = self.network.value   # else the VM keeps its network
            chosen["priority"] = self.priority.value
        if kind != "compute":
            chosen["datastore"] = self.datastore.value
        return chosen

    def describe(self) -> str:
        """Return one line: the page, the choices, and the server's verdict shown.

        After Finish, the outcome instead: the placement before and after, the task and
        the event.
        """
        if self.finished and self.result is not None:
            return render(T.result_text(self.result), self.lang)
        pages = self.pages()
        parts: list[Any] = [
            Text("{vm} — Migrate", "{vm} — Migrer", vm=self.vm_name),
            Text("page {n}/{total}: {page}", "page {n}/{total} : {page}",
                 n=pages.index(self.page) + 1, total=len(pages), page=T.PAGE_TITLES[self.page]),
            T.KIND_OPTIONS[self.kind.value]]
        chosen = self.choice()
        for key, label in (("host", Text("host {v}", "hôte {v}")),
                           ("datastore", Text("storage {v}", "stockage {v}")),
                           ("network", Text("network {v}", "réseau {v}"))):
            if chosen.get(key):
                parts.append(label.fill(v=chosen[key]))
        if "priority" in chosen:
            parts.append(T.PRIORITY_SHORT[chosen["priority"]])
        if self.verdict is not None:
            parts.append(self.verdict.verdict())
        return render(Text.join(" · ", parts), self.lang)

    # -- plain methods: what the buttons do, callable from a cell or a test ----------------

    def select(self, kind: str | None = None, host=None, datastore=None, network=None,
               priority: str | None = None) -> dict:
        """Set controls as a user would (any page's), then return choice().

        Raises:
            InputError: a value the dialog does not offer now.
        """
        given = {"kind": kind, "host": host, "datastore": datastore, "network": network,
                 "priority": priority}
        for name in CONTROLS:
            value = given[name]
            if value is None:
                continue
            control = getattr(self, name)
            value = getattr(value, "name", value)
            offered = [option[1] if isinstance(option, tuple) else option
                       for option in control.options]
            if value not in offered:
                raise InputError(Text("{what} {value} is not offered here. Offered: {offered}.",
                                      "{what} {value} n'est pas proposé ici. Proposés : "
                                      "{offered}.", what=T.LABELS.get(name, Text(name)),
                                      value=repr(value)[:60], offered=quoted(offered)))
            control.value = value
        return self.choice()

    def next(self) -> Shown:
        """Go to the next page (re-read and checked); return its one-line description.

        Raises:
            InputError: this page's choice cannot go on (refused, or nothing to do).
        """
        if not self.can_go_on():
            raise InputError(Text("Next is disabled on {page}: {why}",
                                  "Suivant est désactivé sur {page} : {why}",
                                  page=T.PAGE_TITLES[self.page], why=self._blocked()))
        pages = self.pages()
        if self.page == pages[-1]:
            raise InputError(Text("This is the last page: click Finish.",
                                  "C'est la dernière page : cliquez sur Terminer."))
        self._show(pages[pages.index(self.page) + 1])
        return Shown(self.describe())

    def back(self) -> Shown:
        """Go to the previous page (re-read and checked); return its description."""
        pages = self.pages()
        if self.page != pages[0]:
            self._show(pages[pages.index(self.page) - 1])
        return Shown(self.describe())

    def cancel(self) -> Shown:
        """Close the dialog without migrating: back to its first page, nothing changed."""
        self.finished = False
        self.result = None
        self.summary.value = line(render(T.CANCELLED, self.lang))
        self.progress.reset("")
        self.progress.widget.layout.display = "none"
        self._show("type")
        return Shown(render(T.CANCELLED, self.lang))

    def can_go_on(self) -> bool:
        """Tell whether this page's choice lets the dialog go on (Next, or Finish)."""
        if self.finished:
            return False
        if self.page == "type":
            return self._vm() is not None
        return self.verdict is not None and self.verdict.ok and not self.verdict.nothing_to_do

    def finish(self):
        """Read the inventory, check again, then migrate; return the MigrationResult.

        A change made meanwhile (another cell, another kernel) is checked here: when
        the VM is already where it would go, or the server now refuses, the page says
        so, nothing is migrated and None is returned.

        Raises:
            InputError: Finish is clicked on another page than "Ready to complete".
            MigrationRefused: the server refused the migration task itself.
        """
        if self.page != "ready":
            raise InputError(Text("Finish is on the last page, {page}: click Next until "
                                  "you reach it.", "Terminer est sur la dernière page, "
                                  "{page} : cliquez sur Suivant jusqu'à elle.",
                                  page=T.PAGE_TITLES["ready"]))
        self._show("ready")   # the live inventory, checked again
        if not self.can_go_on():
            return None
        chosen = self.choice()
        for button in self._buttons.values():
            button.disabled = True
        self.progress.widget.layout.display = ""
        try:
            result = self.progress.track(self.lab.migrate, **chosen)
        except OperationRefused as refused:
            self.compat.value = refused.message.html(self.lang) \
                if hasattr(refused.message, "html") else line(str(refused))
            self._enable()
            raise
        self.result, self.finished = result, True
        self.snapshot = self.lab.facts.snapshot()
        self._draw(after=result)
        if self.dashboard is not None:
            self.dashboard.refresh()
        self._enable()
        # Last: a frontend that shows the summary has received everything before it.
        self.summary.value = T.result_html(result, self.lang)
        return result

    # -- widget callbacks ------------------------------------------------------------------

    @captured
    def _on_next(self, button) -> None:
        self.next()

    @captured
    def _on_back(self, button) -> None:
        self.back()

    @captured
    def _on_cancel(self, button) -> None:
        self.cancel()

    @captured
    def _on_finish(self, button) -> None:
        self.finish()

    @captured
    def _on_choice(self, change) -> None:
        if self._updating:
            return
        if change["owner"] in (self.kind, self.host):
            # Another type or host: the default storage and network follow it again.
            self._updating = True
            try:
                self.datastore.value = self.network.value = None
            finally:
                self._updating = False
        self._refresh()

    # -- internals -------------------------------------------------------------------------

    def _say(self, text: Text) -> str:
        return render(text, self.lang)

    def _build(self) -> None:
        wide = {"style": {"description_width": "initial"}}
        self.title = widgets.HTML(T.title_html(self.vm_name, self.lang))
        self.steps = widgets.HTML()
        self.heading = widgets.HTML()
        self.details = widgets.HTML()
        self.kind = widgets.RadioButtons(
            options=[(self._say(T.KIND_OPTIONS[k]), k) for k in T.KINDS], value="compute",
            layout=widgets.Layout(width="auto"), **wide)
        self.host = widgets.RadioButtons(layout=widgets.Layout(width="auto"), **wide)
        self.datastore = widgets.RadioButtons(layout=widgets.Layout(width="auto"), **wide)
        self.network = widgets.Dropdown(description=self._say(T.LABELS["network"]),
                                        layout=widgets.Layout(width="auto"), **wide)
        self.priority = widgets.RadioButtons(
            options=[(self._say(T.PRIORITY_OPTIONS[p]), p) for p in T.PRIORITIES],
            value="highPriority", layout=widgets.Layout(width="auto"), **wide)
        self.compat = widgets.HTML()
        self._buttons = {name: widgets.Button(description=self._say(T.BUTTONS[name]))
                         for name in ("cancel", "back", "next", "finish")}
        self._buttons["next"].button_style = self._buttons["finish"].button_style = "primary"
        for name, handler in (("cancel", self._on_cancel), ("back", self._on_back),
                              ("next", self._on_next), ("finish", self._on_finish)):
            self._buttons[name].on_click(handler)
            self._buttons[name].add_class(f"lablib-{name}")
        self.progress = TaskProgress(mode=self._progress_mode, lang=self.lang)
        self.progress.widget.layout.display = "none"
        self.summary = widgets.HTML()
        self.picture = widgets.Output()
        self.output = widgets.Output()
        for name in CONTROLS:
            getattr(self, name).observe(self._on_choice, names="value")
        # Stable CSS classes: the browser test (and a curious student) find controls by them.
        for name in ("steps", "heading", "details", "compat", "summary", "picture", "output",
                     *CONTROLS):
            getattr(self, name).add_class(f"lablib-{name}")
        page = widgets.VBox([self.heading, self.details, self.kind, self.host, self.datastore,
                             self.network, self.priority, self.compat],
                            layout=widgets.Layout(flex="1 1 auto", padding="0 0 0 12px"))
        buttons = widgets.HBox(
            [self._buttons["cancel"], widgets.HTML(layout=widgets.Layout(flex="1 1 auto")),
             self._buttons["back"], self._buttons["next"], self._buttons["finish"]],
            layout=widgets.Layout(border_top="1px solid #ccc", padding="6px 0 0 0"))
        dialog = widgets.VBox([self.title, widgets.HBox([self.steps, page]), buttons],
                              layout=widgets.Layout(border="1px solid #bbb", padding="8px 12px",
                                                    max_width="64em"))
        dialog.add_class("lablib-dialog")
        self._box = widgets.VBox([dialog, self.progress.widget, self.summary, self.picture,
                                  self.output])
        self._box.add_class("lablib-wizard")

    def _vm(self):
        return self.snapshot.vm(self.vm_name)

    def _show(self, page: str) -> None:
        """Show `page`: read the inventory, offer its choices, check them."""
        self.page = page
        self._refresh()

    def _refresh(self) -> None:
        """Read the live inventory, offer what it allows, show the server's verdict."""
        self.snapshot = self.lab.facts.snapshot()
        self._offer()
        self._check()
        self._render()

    def _offer(self) -> None:
        """Offer the hosts, datastores and networks the inventory has now."""
        vm = self._vm()
        snap = self.snapshot
        self._updating = True
        try:
            here = vm.host if vm else None
            hosts = [h.name for h in snap.hosts]
            others = [h for h in hosts if h != here]
            _offer(self.host, [(self._host_label(h), h) for h in hosts],
                   prefer=others[0] if others else None)
            dest = snap.host(self.host.value if self.kind.value != "storage" else here or "")
            mounted = set(dest.datastores) if dest else set()
            stores = [d for d in snap.datastores]
            whole = set(vm.datastores) if vm and len(vm.datastores) == 1 else set()
            fits = [d.name for d in sorted(stores, key=lambda d: (not d.shared, d.name))
                    if d.name in mounted and d.name not in whole]
            _offer(self.datastore, [(self._datastore_label(d), d.name) for d in stores],
                   prefer=fits[0] if fits else None)
            networks = list(dest.networks) if dest else []
            _offer(self.network, networks,
                   prefer=next((n for n in (vm.networks if vm else ()) if n in networks), None))
        finally:
            self._updating = False

    def _host_label(self, host: str) -> str:
        vm, facts = self._vm(), self.snapshot.host(host)
        parts: list[Any] = [host]
        if facts is not None and facts.in_maintenance:
            parts.append(Text("maintenance mode", "mode maintenance"))
        verdict = self.host_verdicts.get(host)
        if vm is not None and host == vm.host:
            parts.append(T.CURRENT)
        elif verdict is not None:
            parts.append(T.COMPATIBLE if verdict.ok else
                         T.incompatible(len({f.rule for f in verdict.failures})))
        return self._say(Text.join(" — ", parts))

    def _datastore_label(self, ds) -> str:
        kind = Text("shared", "partagé") if ds.shared else \
            Text("local to {host}", "local à {host}", host=", ".join(ds.hosts) or "?")
        return self._say(Text("{name} — {kind}, {free} GB free", "{name} — {kind}, {free} Go "
                              "libres", name=ds.name, kind=kind, free=f"{ds.free_gb:.0f}"))

    def _check(self) -> None:
        """Ask the server about the current choice (and, on page 2, about every host)."""
        self.host_verdicts = {}
        if self.page == "type" or self.finished:
            self.verdict = None
            return
        chosen = self.choice()
        ask = {k: v for k, v in chosen.items() if k in ("host", "datastore", "network")}
        if self.page == "compute":
            for host in self.host.options:
                name = host[1] if isinstance(host, tuple) else host
                self.host_verdicts[name] = self.lab.precheck(
                    self.vm_name, **{**ask, "host": name, "network": None})
            self._updating = True
            try:   # the labels carry each host's verdict
                _offer(self.host, [(self._host_label(n), n) for n in self.host_verdicts])
            finally:
                self._updating = False
            self.verdict = self.host_verdicts.get(self.host.value)
            if self.verdict is not None and "network" in ask:
                self.verdict = self.lab.precheck(self.vm_name, **ask)
        else:
            self.verdict = self.lab.precheck(self.vm_name, **ask)

    def _blocked(self) -> Text:
        """Return why this page cannot go on."""
        if self.finished:
            return Text("the migration is done.", "la migration est faite.")
        if self.verdict is None:
            return Text("the VM is gone.", "la VM n'existe plus.")
        if self.verdict.nothing_to_do:
            return Text("nothing to do, the VM is already there.",
                        "rien à faire, la VM y est déjà.")
        return Text("the server refuses this choice.", "le serveur refuse ce choix.")

    def _render(self) -> None:
        pages = self.pages()
        page = self.page if self.page in pages else "type"
        self.page = page
        self.steps.value = T.steps_html(pages, page, self.lang)
        self.heading.value = T.heading_html(page, pages.index(page) + 1, len(pages), self.lang)
        for name, shown in (("kind", "type"), ("host", "compute"), ("datastore", "storage"),
                            ("network", "network"), ("priority", "priority")):
            getattr(self, name).layout.display = "" if page == shown else "none"
        vm = self._vm()
        if page == "ready" and vm is not None:
            details = T.summary_table(self.vm_name, self.kind.value, self.choice(), vm)
            self.details.value = details.html(self.lang)
        elif page == "network" and vm is not None:
            self.details.value = line(self._say(Text(
                "Source network: {networks}", "Réseau source : {networks}",
                networks=", ".join(vm.networks) or Text("none", "aucun"))), "#333", "#f6f6f6")
        elif vm is not None:
            self.details.value = line(self._say(T.placement_text(vm)), "#333", "#f6f6f6")
        else:
            self.details.value = line(self._say(Text(
                "The VM {vm} is no longer in the inventory.",
                "La VM {vm} n'est plus dans l'inventaire.", vm=self.vm_name)), "#b00020",
                "#fff5f5")
        self.compat.value = T.compatibility_html(self.verdict, self.lang)
        self._enable()
        if page != "type":
            self._draw()

    def _enable(self) -> None:
        pages = self.pages()
        go = self.can_go_on()
        buttons = self._buttons
        buttons["back"].disabled = self.page == pages[0] or self.finished
        buttons["next"].disabled = not go or self.page == pages[-1]
        buttons["finish"].disabled = not go or self.page != "ready"
        buttons["cancel"].disabled = False
        buttons["cancel"].description = self._say(T.BUTTONS["again" if self.finished
                                                            else "cancel"])

    def _draw(self, after=None) -> None:
        """Redraw the topology: the chosen move, or the one just done."""
        if not self.show_topology or self._vm() is None:
            return
        if after is not None:
            before, now = after.before, after.after
            source = {"host": before.host if before.host != now.host else None,
                      "datastore": [d for d in before.datastores if d not in now.datastores]}
            destination = {"host": now.host if before.host != now.host else None,
                           "datastore": [d for d in now.datastores if d not in before.datastores]}
            self.figure = plot_topology(self.snapshot, moving=self.vm_name, source=source,
                                        destination=destination, lang=self.lang)
        else:
            chosen = self.choice()
            vm = self._vm()
            host = chosen.get("host")
            refused = self.verdict if self.verdict is not None and not self.verdict.ok else None
            self.figure = plot_topology(
                self.snapshot, moving=self.vm_name,
                destination={"host": host if host != vm.host else None,
                             "datastore": chosen.get("datastore")},
                findings=refused, lang=self.lang)
        show_figure(self.picture, self.figure, self.describe())


def _offer(control, options: list, prefer: Any = None) -> None:
    """Replace a control's options; keep its value if still offered, else `prefer`."""
    values = [o[1] if isinstance(o, tuple) else o for o in options]
    value = control.value
    control.options = options
    if value in values:
        control.value = value
    elif prefer in values:
        control.value = prefer
    else:
        control.value = values[0] if values else None

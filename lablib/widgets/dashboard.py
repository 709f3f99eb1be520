"""LabDashboard: what the vMotion rules look at, for every host and VM, on one screen.

Hosts with their vMotion VMkernel adapters, maximum EVC mode and maintenance state;
the cluster's EVC mode; VMs with their host, datastores and power state; and the
topology picture (lablib.plots.topology). Everything comes from one Facts snapshot
(three SOAP round trips) through the plain function `dashboard_report()`, so a lab
cell or a test gets the same tables without the widget. `refresh()` reads again; the
MigrationWizard calls it after each operation. Values lablib emulates on vcsim are
marked with "*" (docs/design.md §3.4).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as widgets
from matplotlib.figure import Figure

from lablib.facts import power_state
from lablib.language import check_language
from lablib.plots.topology import plot_topology
from lablib.status import SIMULATED
from lablib.table import Report, Table
from lablib.text import Text, render
from lablib.vmotion.display import simulated_note
from lablib.vmotion.rules import connection_state

from ._display import show_figure, widget_bundle
from ._log import captured

if TYPE_CHECKING:
    from lablib.facts import Snapshot
    from lablib.lab import Lab

YES, NO = Text("yes", "oui"), Text("no", "non")
NONE = Text("none", "aucun")
REFRESH = Text("Refresh", "Actualiser")


def dashboard_report(snapshot) -> Report:
    """Return the dashboard's tables (hosts, cluster, VMs) for a Facts snapshot.

    Their cells are Texts: they are shown in the notebook's language (or any, through
    `Table.render(lang)` and `Table.html(lang)`).

    Args:
        snapshot: a `lab.facts.snapshot()`.

    Returns:
        A Report of three Tables; a value lablib emulates ends with "*", explained in
        the notes of the table it is in.
    """
    local = {d.name for d in snapshot.datastores if not d.shared}

    def mark(facts, name, value):
        return Text.join("", [value, SIMULATED]) if name in facts.simulated else value

    host_col = Text("host", "hôte")
    hosts = Table(Text("Hosts", "Hôtes"), [
        host_col, Text("cluster", "cluster"), Text("vMotion vmknics", "vmknics vMotion"),
        Text("max EVC mode", "mode EVC max."), Text("maintenance mode", "mode maintenance"),
        Text("connection", "connexion")], empty=Text("no host", "aucun hôte"))
    for h in snapshot.hosts:
        hosts.rows.append([h.name, h.cluster or "—",
                           mark(h, "vmotion_vmks", ", ".join(h.vmotion_vmks) or NONE),
                           mark(h, "max_evc", h.max_evc or "—"),
                           YES if h.in_maintenance else NO,
                           connection_state(h.connection_state)])
    clusters = Table(Text("Cluster", "Cluster"), [
        Text("cluster", "cluster"), Text("EVC mode", "mode EVC"), Text("hosts", "hôtes")],
        empty=Text("no cluster", "aucun cluster"))
    for c in snapshot.clusters:
        clusters.rows.append([c.name, mark(c, "evc_mode", c.evc_mode or
                                           Text("off", "désactivé")), ", ".join(c.hosts)])
    vms = Table(Text("VMs", "VM"), ["VM", host_col, Text("datastores", "datastores"),
                                    Text("power", "alimentation")],
                empty=Text("no VM", "aucune VM"))
    for v in snapshot.vms:
        stores = [Text("{ds} (local)", "{ds} (local)", ds=d) if d in local else d
                  for d in v.datastores]
        vms.rows.append([v.name, v.host, Text.join(", ", stores) if stores else "—",
                         power_state(v.power_state)])
    for table, facts in ((hosts, snapshot.hosts), (clusters, snapshot.clusters)):
        if any(f.simulated for f in facts):
            table.notes.append(simulated_note())
    return Report([hosts, clusters, vms])


class LabDashboard:
    """Hosts, cluster and VMs of a lab as tables and a topology picture, refreshable."""

    def __init__(self, lab: Lab, *, topology: bool = True, lang: str | None = None):
        """Read the lab and build the dashboard.

        Args:
            lab: a connected Lab.
            topology: also draw the topology picture.
            lang: "en" or "fr" (the notebook's language by default).
        """
        self.lab = lab
        self.lang = None if lang is None else check_language(lang)
        self.show_topology = topology
        self.snapshot: Snapshot | None = None
        self.report: Report | None = None
        self.figure: Figure | None = None
        self.error: str | None = None
        self.tables = widgets.HTML()
        self.picture = widgets.Output()
        self.output = widgets.Output()
        self.refresh_button = widgets.Button(description=render(REFRESH, self.lang),
                                             icon="refresh")
        self.refresh_button.on_click(self._on_refresh)
        self._box = widgets.VBox([self.refresh_button, self.tables, self.picture,
                                  self.output])
        self._box.add_class("lablib-dashboard")
        self.refresh()

    @property
    def widget(self) -> widgets.VBox:
        """The box holding the tables, the picture and the log."""
        return self._box

    def _repr_mimebundle_(self, **kwargs):
        return widget_bundle(self._box, str(self), **kwargs)

    def __str__(self) -> str:
        return self.report_text()

    def report_text(self) -> str:
        """Return the tables as plain text in the dashboard's language."""
        if self.report is None:
            return ""
        return "\n\n".join(t.render(self.lang) for t in self.report.tables)

    def refresh(self, *, moving=None, destination=None, source=None, findings=None) -> Report:
        """Read the lab again and redraw; return the tables.

        The keyword arguments go to plot_topology, to show a migration on the picture.
        """
        self.snapshot = self.lab.facts.snapshot()
        self.report = dashboard_report(self.snapshot)
        self.tables.value = self.report.html(self.lang)
        if self.show_topology:
            self.figure = plot_topology(self.snapshot, moving=moving, destination=destination,
                                        source=source, findings=findings, lang=self.lang)
            show_figure(self.picture, self.figure, self.report_text())
        return self.report

    @captured
    def _on_refresh(self, button) -> None:
        self.refresh()

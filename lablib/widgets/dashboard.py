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

import ipywidgets as widgets

from lablib.plots._common import lang_of
from lablib.plots.topology import plot_topology
from lablib.status import SIMULATED
from lablib.table import Report, Table

from ._display import show_figure, widget_bundle
from ._log import captured

_TEXT = {
    "en": {
        "hosts": "Hosts", "host": "host", "cluster": "cluster", "vmotion": "vMotion vmknics",
        "max_evc": "max EVC mode", "maintenance": "maintenance mode", "state": "connection",
        "clusters": "Cluster", "evc": "EVC mode", "vms": "VMs", "power": "power",
        "datastores": "datastores", "yes": "yes", "no": "no", "off": "off", "none": "none",
        "local": "local", "refresh": "Refresh",
        "note": f"{SIMULATED} simulated by lablib: vcsim has no API for these values.",
    },
    "fr": {
        "hosts": "Hôtes", "host": "hôte", "cluster": "cluster", "vmotion": "vmknics vMotion",
        "max_evc": "mode EVC max.", "maintenance": "mode maintenance", "state": "connexion",
        "clusters": "Cluster", "evc": "mode EVC", "vms": "VM", "power": "alimentation",
        "datastores": "datastores", "yes": "oui", "no": "non", "off": "désactivé",
        "none": "aucun", "local": "locale", "refresh": "Actualiser",
        "note": f"{SIMULATED} simulé par lablib : vcsim n'a pas d'API pour ces valeurs.",
    },
}


def dashboard_report(snapshot, lang: str | None = None) -> Report:
    """Return the dashboard's tables (hosts, cluster, VMs) for a Facts snapshot.

    Args:
        snapshot: a `lab.facts.snapshot()`.
        lang: "en" or "fr" (the notebook's language by default).

    Returns:
        A Report of three Tables; a value lablib emulates ends with "*", explained in
        the notes of the table it is in.
    """
    text = _TEXT[lang_of(lang)]
    local = {d.name for d in snapshot.datastores if not d.shared}

    def mark(facts, name, value):
        return f"{value}{SIMULATED}" if name in facts.simulated else value

    hosts = Table(text["hosts"], [text["host"], text["cluster"], text["vmotion"],
                                  text["max_evc"], text["maintenance"], text["state"]])
    for h in snapshot.hosts:
        hosts.rows.append([h.name, h.cluster or "—",
                           mark(h, "vmotion_vmks", ", ".join(h.vmotion_vmks) or text["none"]),
                           mark(h, "max_evc", h.max_evc or "—"),
                           text["yes"] if h.in_maintenance else text["no"],
                           h.connection_state])
    clusters = Table(text["clusters"], [text["cluster"], text["evc"], text["hosts"].lower()])
    for c in snapshot.clusters:
        clusters.rows.append([c.name, mark(c, "evc_mode", c.evc_mode or text["off"]),
                              ", ".join(c.hosts)])
    vms = Table(text["vms"], ["VM", text["host"], text["datastores"], text["power"]])
    for v in snapshot.vms:
        stores = [f"{d} ({text['local']})" if d in local else d for d in v.datastores]
        vms.rows.append([v.name, v.host, ", ".join(stores) or "—", v.power_state])
    for table, facts in ((hosts, snapshot.hosts), (clusters, snapshot.clusters)):
        if any(f.simulated for f in facts):
            table.notes.append(text["note"])
    return Report([hosts, clusters, vms])


class LabDashboard:
    """Hosts, cluster and VMs of a lab as tables and a topology picture, refreshable."""

    def __init__(self, lab, *, topology: bool = True, lang: str | None = None):
        """Read the lab and build the dashboard.

        Args:
            lab: a connected Lab.
            topology: also draw the topology picture.
            lang: "en" or "fr" (the notebook's language by default).
        """
        self.lab = lab
        self.lang = lang_of(lang)
        self.show_topology = topology
        self.snapshot = None
        self.report: Report | None = None
        self.figure = None
        self.error: str | None = None
        self.tables = widgets.HTML()
        self.picture = widgets.Output()
        self.output = widgets.Output()
        self.refresh_button = widgets.Button(description=_TEXT[self.lang]["refresh"],
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
        return str(self.report) if self.report is not None else ""

    def refresh(self, *, moving=None, destination=None, source=None, findings=None) -> Report:
        """Read the lab again and redraw; return the tables.

        The keyword arguments go to plot_topology, to show a migration on the picture.
        """
        self.snapshot = self.lab.facts.snapshot()
        self.report = dashboard_report(self.snapshot, self.lang)
        self.tables.value = self.report._repr_html_()
        if self.show_topology:
            self.figure = plot_topology(self.snapshot, moving=moving, destination=destination,
                                        source=source, findings=findings, lang=self.lang)
            show_figure(self.picture, self.figure, str(self.report))
        return self.report

    @captured
    def _on_refresh(self, button) -> None:
        self.refresh()

"""LabDashboard on the simulator: tables from one snapshot, refresh, errors in the Output."""

import matplotlib

matplotlib.use("Agg")

from pyVmomi import vim

from lablib.errors import ConnectError
from lablib.tasks import wait
from lablib.text import render
from lablib.widgets import LabDashboard, dashboard_report


def _rows(report, title, lang="en"):
    table = next(t for t in report.tables if render(t.title, lang) == title)
    return {render(row[0], lang): [render(c, lang) for c in row[1:]] for row in table.rows}


def test_tables_show_vmotion_evc_maintenance_and_placement(any_lab):
    lab = any_lab
    mark = "*" if lab.backend.simulated else ""  # what lablib simulates (public image)
    report = dashboard_report(lab.facts.snapshot())
    hosts = _rows(report, "Hosts")
    assert hosts["ESXi_1"] == ["Cluster", f"none{mark}", f"intel-icelake{mark}", "no",
                               "connected"]
    assert _rows(report, "Cluster")["Cluster"] == [f"off{mark}", "ESXi_1, ESXi_2"]
    vms = _rows(report, "VMs")
    assert vms["vm-local"] == ["ESXi_1", "ESXi_1-local (local)", "powered on"]
    assert vms["vm-shared"] == ["ESXi_1", "SharedDS", "powered on"]
    assert ("* simulated by lablib" in report.html("en")) == bool(mark)
    french = {t.render("fr").split("\n")[0]: t.render("fr") for t in report.tables}
    assert "sous tension" in french["VM"] and "connecté" in french["Hôtes"]
    assert _rows(report, "Hôtes", "fr")["ESXi_1"][2:] == [f"intel-icelake{mark}", "non",
                                                          "connecté"]


def test_refresh_reads_the_lab_again(lab):
    board = LabDashboard(lab, lang="en")
    assert "vm-shared" in board.tables.value
    assert board.picture.outputs[0]["data"]["image/png"]
    lab.power_off("vm-shared")  # a cold migration: no vMotion network, no CPU check
    lab.enable_vmotion("ESXi_1")
    wait(lab.conn, lab.vm("vm-shared").RelocateVM_Task(
        vim.vm.RelocateSpec(host=lab.host("ESXi_2"))))
    board.refresh_button.click()
    assert board.error is None
    assert _rows(board.report, "Hosts")["ESXi_1"][1].rstrip("*") == "vmk0"
    assert _rows(board.report, "VMs")["vm-shared"][0] == "ESXi_2"
    assert "vMotion: vmk0" in [t.get_text() for t in board.figure.axes[0].texts]


def test_french_tables(any_lab):
    board = LabDashboard(any_lab, topology=False, lang="fr")
    assert board.figure is None and board.picture.outputs == ()
    assert _rows(board.report, "Hôtes", "fr")["ESXi_2"][3] == "non"
    assert board.refresh_button.description == "Actualiser"
    assert ("simulé par lablib" in board.tables.value) == bool(any_lab.backend.simulated)


def test_an_error_in_the_refresh_button_lands_in_the_output(lab):
    board = LabDashboard(lab, topology=False)

    def lost():
        raise ConnectError("The simulator stopped answering.")

    board.lab.facts.snapshot = lost
    board.refresh_button.click()
    assert board.error == "The simulator stopped answering."
    [line] = board.output.outputs
    assert line["name"] == "stderr" and line["text"] == "The simulator stopped answering.\n"

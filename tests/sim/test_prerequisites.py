"""The course's prerequisites table, checked live on the seeded simulator."""

import pytest

from lablib import set_language
from lablib.errors import NotFoundError
from lablib.prerequisites import KEYS, prerequisites


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def test_initial_lab_misses_vmotion_and_evc(any_lab):
    lab = any_lab
    report = prerequisites(lab)
    assert [row.key for row in report.rows] == list(KEYS)
    assert (report.vm, report.source, report.destination) == ("vm-shared", "ESXi_1", "ESXi_2")
    assert report.failing == ["vmotion_vmk", "evc"] and not report.ok
    assert str(report.row("vmotion_vmk").found) == "ESXi_1: none; ESXi_2: none"
    assert str(report.row("vmotion_vmk").fix) == "enable vMotion on vmk0 of ESXi_1, ESXi_2 (lab 03)"
    assert "intel-cascadelake" in str(report.row("evc").fix)
    assert report.row("static_ip").found == "ESXi_1 192.168.1.170, ESXi_2 192.168.1.172"
    simulated = bool(lab.backend.simulated)  # lablib's fallback decided (public image)
    assert report.row("evc").simulated == report.simulated == simulated
    text = str(report)
    assert "Not met: vmotion_vmk, evc." in text
    assert ("* simulated by lablib" in text) == simulated
    assert "color:#b00" in report._repr_html_()


def test_the_local_vm_also_needs_shared_storage(lab):
    report = prerequisites(lab, vm=lab.roles.local_vm)
    assert report.failing == ["vmotion_vmk", "shared_datastore", "evc"]
    assert str(report.row("shared_datastore").fix) == \
        "move vm-local's files to SharedDS first (Storage vMotion, lab 06)"


def test_french_table(lab):
    set_language("fr")
    text = str(prerequisites(lab))
    assert "Prérequis vMotion pour vm-shared : ESXi_1 → ESXi_2" in text
    assert "Datastore partagé visible par tous les ESXi" in text
    assert "Non remplis : vmotion_vmk, evc." in text


def test_unknown_vm_names_the_close_candidates(lab):
    with pytest.raises(NotFoundError, match="vm-shared"):
        prerequisites(lab, vm="vm-sharde")


def test_every_prerequisite_holds_after_labs_03_and_04(lab):
    from lablib.exercises import prepare

    prepare(lab, "05")
    report = prerequisites(lab)
    assert report.ok and report.failing == []
    assert str(report.row("evc").found) == \
        "EVC intel-cascadelake; vm-shared runs with intel-cascadelake features"
    assert prerequisites(lab, vm=lab.roles.local_vm).failing == ["shared_datastore"]


def test_evc_set_but_vm_not_power_cycled(lab):
    for vm in (lab.roles.vm, lab.roles.local_vm):
        lab.power_off(vm)
    lab.configure_evc("intel-skylake")
    lab.power_on(lab.roles.vm)
    lab.configure_evc("intel-cascadelake")       # raised while the VM runs: allowed
    row = prerequisites(lab).row("evc")
    assert row.ok   # a skylake baseline runs on both hosts
    lab.power_off(lab.roles.vm)
    assert str(prerequisites(lab).row("evc").found).endswith("vm-shared is powered off")

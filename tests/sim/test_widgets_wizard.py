"""MigrationWizard on the simulator: the Migrate dialog page by page, as a student uses it.

Each page is driven by its buttons (or the plain methods they call) and judged by the
server's verdict it shows; success is read back from the inventory with lablib, not
from the widget. A state changed behind the dialog (another cell, another kernel's
connection) is seen when a page is shown and before Finish.
"""

import matplotlib

matplotlib.use("Agg")

import re

import pytest

import lablib
from lablib.errors import InputError, OperationRefused
from lablib.text import render
from lablib.widgets import LabDashboard, MigrationWizard


def enable_vmotion(lab):
    for host in (lab.roles.source_host, lab.roles.destination_host):
        lab.enable_vmotion(host)


def configure_evc(lab):
    """EVC at the older host's generation; the VMs power-cycle to take the baseline."""
    roles = lab.roles
    for vm in (roles.vm, roles.local_vm):
        lab.power_off(vm)
    lab.configure_evc(lab.facts.snapshot().host(roles.destination_host).max_evc)
    for vm in (roles.vm, roles.local_vm):
        lab.power_on(vm)


@pytest.fixture
def ready(lab):
    """The lab with the course's prerequisites done: vMotion on vmk0 of both hosts, EVC."""
    enable_vmotion(lab)
    configure_evc(lab)
    return lab


def click(wizard, name):
    wizard._buttons[name].click()
    assert wizard.error is None, wizard.error


def enabled(wizard, name):
    return not wizard._buttons[name].disabled


def labels(control):
    return {value: label for label, value in control.options}


def greyed(wizard):
    return sorted(a.get_gid()[len("greyed:"):] for a in wizard.figure.axes[0].get_children()
                  if (a.get_gid() or "").startswith("greyed:"))


def test_the_pages_follow_the_migration_type(lab):
    wizard = MigrationWizard(lab, topology=False, lang="en")
    assert wizard.page == "type" and wizard.kind.value == "compute"
    assert wizard.pages() == ["type", "compute", "network", "priority", "ready"]
    wizard.select(kind="storage")
    assert wizard.pages() == ["type", "storage", "ready"]
    wizard.select(kind="compute+storage")
    assert wizard.pages() == ["type", "compute", "storage", "network", "priority", "ready"]
    assert not enabled(wizard, "back") and not enabled(wizard, "finish")
    assert enabled(wizard, "next")
    shown = [name for name in ("kind", "host", "datastore", "network", "priority")
             if getattr(wizard, name).layout.display != "none"]
    assert shown == ["kind"]   # page 1 shows the migration types only


def test_compute_migration_page_by_page_with_the_buttons(ready):
    lab, roles = ready, ready.roles
    board = LabDashboard(lab, topology=False, lang="en")
    wizard = MigrationWizard(lab, roles.vm, dashboard=board, lang="en", progress_mode="widget")
    click(wizard, "next")
    assert wizard.page == "compute"
    verdicts = labels(wizard.host)
    assert verdicts == {roles.source_host: f"{roles.source_host} — current host of the VM",
                        roles.destination_host: f"{roles.destination_host} — compatible"}
    assert wizard.host.value == roles.destination_host
    assert "Compatibility checks succeeded" in wizard.compat.value
    for page in ("network", "priority", "ready"):
        click(wizard, "next")
        assert wizard.page == page
        assert not enabled(wizard, "finish") or page == "ready"
    assert wizard.network.value == roles.vm_network and wizard.priority.value == "highPriority"
    assert "Summary" in wizard.details.value and "Schedule vMotion with high priority" in \
        wizard.details.value
    assert not enabled(wizard, "next")
    click(wizard, "finish")
    placement = lab.placement(roles.vm)
    assert (placement.host, placement.datastores) == (roles.destination_host,
                                                      (roles.shared_datastore,))
    assert wizard.result.before.host == roles.source_host and wizard.finished
    assert wizard.progress.bar.bar_style == "success"
    assert f"{roles.vm} migrated (compute resource only)" in wizard.summary.value
    assert f"Task: Relocate virtual machine ({roles.vm}): Completed" in wizard.summary.value
    assert "Event: VmMigratedEvent: vm-shared, ESXi_1, SharedDS → ESXi_2, SharedDS" in \
        wizard.summary.value
    assert not enabled(wizard, "finish") and not enabled(wizard, "next")
    assert wizard._buttons["cancel"].description == "New migration"
    gids = {a.get_gid() for a in wizard.figure.axes[0].get_children()}
    assert {"move:host", f"ghost:{roles.vm}"} <= gids
    vms = next(t for t in board.report.tables if render(t.title, "en") == "VMs")
    assert [roles.destination_host] == [row[1] for row in vms.rows if row[0] == roles.vm]


def test_a_refused_host_keeps_next_disabled_and_shows_the_refusal_block(lab):
    roles = lab.roles
    configure_evc(lab)   # only the vMotion network is missing
    wizard = MigrationWizard(lab, roles.vm, lang="en")
    wizard.next()
    assert labels(wizard.host)[roles.destination_host] == \
        f"{roles.destination_host} — incompatible (1 rule)"  # both hosts lack it
    assert [f.rule for f in wizard.verdict.failures] == ["vmotion-network"] * 2
    assert not enabled(wizard, "next") and not enabled(wizard, "finish")
    panel = wizard.compat.value
    assert "lablib-refusal" in panel and "Compatibility checks succeeded" not in panel
    assert "Fix: Enable vMotion" in panel and "lab.enable_vmotion" in panel
    assert "VMotionNotConfigured — vCenter" in panel      # the server's own line
    assert set(greyed(wizard)) >= {roles.source_host, roles.destination_host}
    with pytest.raises(InputError, match="Next is disabled"):
        wizard.next()
    wizard._buttons["next"].click()   # (a browser would not even send the click)
    assert wizard.page == "compute" and wizard.error.startswith("Next is disabled")
    with pytest.raises(OperationRefused):       # the plain function refuses as well
        lab.migrate(roles.vm, host=roles.destination_host)
    # The same block as the exception's message, in the same words.
    refused = wizard.verdict.refusal()
    assert render(refused.message.headline, "en") in panel


def test_local_storage_fails_compute_only_and_passes_with_storage(ready):
    lab, roles = ready, ready.roles
    wizard = MigrationWizard(lab, roles.local_vm, lang="en", progress_mode="widget")
    wizard.next()
    assert {f.rule for f in wizard.verdict.failures} == {"shared-storage"}
    assert roles.local_datastore in greyed(wizard)
    wizard.back()
    wizard.select(kind="compute+storage")
    wizard.next()
    assert wizard.page == "compute" and wizard.verdict.ok
    wizard.next()
    assert wizard.page == "storage"
    assert labels(wizard.datastore)[roles.shared_datastore].startswith(
        f"{roles.shared_datastore} — shared")
    wizard.select(datastore=roles.shared_datastore)
    assert wizard.verdict.ok
    for _ in range(3):
        wizard.next()
    assert wizard.page == "ready"
    result = wizard.finish()
    assert result.kind == "compute+storage"
    placement = lab.placement(roles.local_vm)
    assert (placement.host, placement.datastores) == (roles.destination_host,
                                                      (roles.shared_datastore,))


def test_storage_only_migration(ready):
    lab, roles = ready, ready.roles
    wizard = MigrationWizard(lab, roles.vm, progress_mode="widget", lang="en")
    wizard.select(kind="storage")
    wizard.next()
    assert wizard.page == "storage"
    assert wizard.datastore.value == roles.local_datastore    # one the VM's host mounts
    wizard.next()
    assert wizard.page == "ready" and enabled(wizard, "finish")
    wizard.finish()
    placement = lab.placement(roles.vm)
    assert (placement.host, placement.datastores) == (roles.source_host,
                                                      (roles.local_datastore,))
    gids = {a.get_gid() for a in wizard.figure.axes[0].get_children()}
    assert "move:datastore" in gids and "move:host" not in gids


def test_nothing_to_do_is_never_shown_as_can_migrate(ready):
    lab, roles = ready, ready.roles
    wizard = MigrationWizard(lab, roles.vm, topology=False, lang="fr")
    wizard.next()
    wizard.select(host=roles.source_host)          # where the VM already runs
    panel = wizard.compat.value
    assert "lablib-nothing-to-do" in panel and "Rien à faire" in panel
    assert "lablib-compatible" not in panel and "réussi" not in panel
    assert not enabled(wizard, "next") and not enabled(wizard, "finish")
    wizard.select(kind="storage")
    wizard.back()
    wizard.next()
    wizard.select(datastore=roles.shared_datastore)   # where its files already are
    assert "lablib-nothing-to-do" in wizard.compat.value
    assert not enabled(wizard, "next")


def test_a_migration_behind_the_dialog_is_seen_before_finish(ready):
    lab, roles = ready, ready.roles
    wizard = MigrationWizard(lab, roles.vm, topology=False, lang="en", progress_mode="widget")
    for _ in range(4):
        wizard.next()
    assert wizard.page == "ready" and enabled(wizard, "finish")
    other = lablib.connect()   # another kernel's connection, to the same simulator
    try:
        other.migrate(roles.vm, host=roles.destination_host)
    finally:
        other.close()
    assert wizard.finish() is None                 # read again, checked again: no move
    assert "Nothing to do" in wizard.compat.value
    assert "Compatibility checks succeeded" not in wizard.compat.value
    assert not enabled(wizard, "finish") and wizard.result is None
    assert lab.placement(roles.vm).host == roles.destination_host
    click(wizard, "cancel")
    wizard.next()   # page 2 re-reads the lab: the VM's host is now the destination
    assert labels(wizard.host)[roles.destination_host].endswith("current host of the VM")
    assert wizard.host.value == roles.destination_host   # the choice stays: nothing to do
    wizard.select(host=roles.source_host)
    assert wizard.verdict.ok and enabled(wizard, "next")


def test_a_change_made_in_another_cell_is_read_when_a_page_is_shown(lab):
    roles = lab.roles
    configure_evc(lab)
    wizard = MigrationWizard(lab, roles.vm, lang="en")
    wizard.next()
    assert not wizard.verdict.ok
    enable_vmotion(lab)                              # in another cell, after the wizard
    wizard.back()
    wizard.next()
    assert wizard.verdict.ok and enabled(wizard, "next")
    gids = {a.get_gid() for a in wizard.figure.axes[0].get_children()}
    assert {f"vmotion:{roles.source_host}", f"vmotion:{roles.destination_host}"} <= gids


def test_cancel_changes_nothing_and_goes_back_to_page_one(ready):
    lab, roles = ready, ready.roles
    wizard = MigrationWizard(lab, roles.vm, topology=False, lang="en")
    wizard.next()
    wizard.next()
    click(wizard, "cancel")
    assert wizard.page == "type" and "nothing was changed" in wizard.summary.value
    assert lab.placement(roles.vm).host == roles.source_host
    with pytest.raises(InputError, match="Finish is on the last page"):
        wizard.finish()


def test_select_refuses_what_is_not_offered(lab):
    wizard = MigrationWizard(lab, topology=False, lang="en")
    with pytest.raises(InputError, match="'ESXi_9' is not offered here"):
        wizard.select(host="ESXi_9")
    with pytest.raises(Exception, match="No VM"):
        MigrationWizard(lab, "vm-nowhere", topology=False)


def test_the_french_dialog_speaks_french_only(ready):
    lab, roles = ready, ready.roles
    wizard = MigrationWizard(lab, roles.local_vm, topology=False, lang="fr")
    texts = [wizard.title.value, wizard.steps.value, wizard.heading.value,
             wizard.details.value, *[b.description for b in wizard._buttons.values()],
             *[label for label, _ in wizard.kind.options],
             *[label for label, _ in wizard.priority.options], wizard.network.description]
    wizard.next()   # compute only: refused, the local datastore
    texts += [wizard.heading.value, wizard.compat.value, wizard.describe(),
              *[label for label, _ in wizard.host.options]]
    shown = " ".join(texts)
    for french in ("Migrer", "Sélectionner un type de migration", "Suivant", "Retour",
                   "Terminer", "Annuler", "Changer uniquement la ressource de calcul",
                   "Planifier vMotion avec une priorité élevée (recommandé)",
                   "Réseau de destination", "hôte actuel de la VM", "incompatible (1 règle)",
                   "Correction : ", "— vCenter"):
        assert french in shown, french
    assert_no_english(shown)


#: English words a French student must not meet (vCenter's own message line aside).
ENGLISH = re.compile(r"\b(the|of|and|refused|Fix|migrated|running|success|Next|Back|Finish|"
                     r"Cancel|poweredOn|poweredOff|connected|compute|storage|host|before|"
                     r"after|runs on|Select|Change|none)\b")


def assert_no_english(html_or_text):
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", html_or_text, flags=re.S)
    text = re.sub(r"[A-Za-z]+ — vCenter[^:]*: [^|<\n]*", "", text)   # vCenter's own message
    text = re.sub(r"lab\.\w+\([^)]*\)|\w+=", "", text)                 # code the fix shows
    found = ENGLISH.findall(text)
    assert not found, (found, text)
